// How long a plan will take on this machine, from what earlier runs here reached: training samples/s per
// (architecture, input shape, backend), and seconds per job for the kinds that train nothing. The record lives
// in the cache folder (it describes this machine, like the cache's entries), is updated after every run from
// the jobs' own run times, and never changes a result: it only orders jobs and estimates a wall time.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InputShape } from '../data/shape.ts';
import { sourceDef, sourceParams } from '../data/sources/index.ts';
import { transformDef } from '../data/transforms/index.ts';
import type { CostEstimate } from '../exec/priority.ts';
import type { LoadJobSpec, TransformJobSpec } from '../jobs/specs.ts';
import { canonicalJson, type Job, type Plan } from '../plan.ts';

/** Dot-named, like the cache's other bookkeeping (`.verified/`), so it is never taken for an entry. */
export const THROUGHPUT_FILE = '.throughput.json';
const RECORD_VERSION = 1;
/** The estimate uses the median of this many latest measurements per key (load on a shared machine drifts). */
const KEPT_SAMPLES = 5;

export interface ThroughputRecord {
  version: typeof RECORD_VERSION;
  /** Training samples/s by trainingKey(...). */
  training: Record<string, number[]>;
  /** Seconds per job by `kind|backend`, for jobs without a training cost. */
  jobs: Record<string, number[]>;
  /** What `auto` resolved to in the latest run, so `plan --backend auto` reads that backend's figures. */
  auto?: string;
}

const emptyRecord = (): ThroughputRecord => ({ version: RECORD_VERSION, training: {}, jobs: {} });

export async function readThroughput(cacheDir: string): Promise<ThroughputRecord> {
  try {
    const record = JSON.parse(await readFile(join(cacheDir, THROUGHPUT_FILE), 'utf8')) as ThroughputRecord;
    return record.version === RECORD_VERSION ? record : emptyRecord();
  } catch {
    // Missing or unreadable: nothing recorded yet (the record only informs estimates).
    return emptyRecord();
  }
}

/** Written atomically (temp file + rename), so a reader never sees half a record. */
export async function writeThroughput(cacheDir: string, record: ThroughputRecord): Promise<void> {
  const temp = join(cacheDir, `${THROUGHPUT_FILE}.${process.pid}.tmp`);
  await writeFile(temp, `${JSON.stringify(record, null, 2)}\n`);
  await rename(temp, join(cacheDir, THROUGHPUT_FILE));
}

/** What a training job trains: its architecture and input shape. Undefined for jobs that train nothing. */
export interface TrainingWork {
  model: unknown;
  shape: InputShape;
  classes: number | null;
  /** The batch size, for calibration. */
  batch: number;
}

/** Reads a training job's architecture and the shape of the examples it trains on off the plan. */
export function trainingWork(plan: Pick<Plan, 'jobs'>, job: Job): TrainingWork | undefined {
  if (!job.cost) return undefined;
  const spec = job.spec as { model?: unknown; classifier?: unknown; recipe?: { batch: number } };
  const model = spec.model ?? spec.classifier;
  if (model === undefined || !spec.recipe) return undefined;
  const input = inputOf(plan, job.deps[0]);
  return { model, shape: input.shape, classes: input.classes, batch: spec.recipe.batch };
}

function inputOf(plan: Pick<Plan, 'jobs'>, jobId: string | undefined): { shape: InputShape; classes: number | null } {
  const unknown = { shape: { kind: 'unknown' } as InputShape, classes: null };
  const transform = plan.jobs.find((job) => job.id === jobId);
  if (transform?.kind !== 'transform') return unknown;
  const load = plan.jobs.find((job) => job.id === transform.deps[0]);
  if (load?.kind !== 'load') return unknown;
  const { source } = load.spec as unknown as LoadJobSpec;
  const def = sourceDef(source.kind);
  const params = sourceParams(source);
  const shape = (transform.spec as unknown as TransformJobSpec).transforms.reduce(
    (current, stage) => transformDef(stage.kind).reshape?.(current, stage.params) ?? current,
    def.shape(params),
  );
  return { shape, classes: def.classes(params) };
}

export function trainingKey(work: TrainingWork, backend: string): string {
  return canonicalJson({ model: work.model, shape: work.shape, backend });
}

const jobKey = (job: Pick<Job, 'kind'>, backend: string) => `${job.kind}|${backend}`;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function remember(table: Record<string, number[]>, key: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) return;
  table[key] = [...(table[key] ?? []), value].slice(-KEPT_SAMPLES);
}

/** Adds a finished job's run time to the record (training jobs as samples/s, the others as seconds). */
export function recordJob(
  record: ThroughputRecord,
  plan: Pick<Plan, 'jobs'>,
  job: Job,
  seconds: number,
  backend: string,
): void {
  const work = trainingWork(plan, job);
  if (work && job.cost)
    remember(record.training, trainingKey(work, backend), (job.cost.samples * job.cost.epochs) / seconds);
  else remember(record.jobs, jobKey(job, backend), seconds);
}

const START_KEY = (backend: string) => `start|${backend}`;

/** Adds how long the workers took to start (each loads the backend). */
export function recordStart(record: ThroughputRecord, seconds: number, backend: string): void {
  remember(record.jobs, START_KEY(backend), seconds);
}

/** The workers' recorded start-up time on `backend`, 0 when none is recorded. */
export function recordedStart(record: ThroughputRecord, backend: string): number {
  const times = record.jobs[START_KEY(backend)];
  return times?.length ? median(times) : 0;
}

/** Where an estimate's figures come from, per job: the record, a calibration, or nothing known (counted as 0). */
export type EstimateSource = 'recorded' | 'calibrated' | 'unknown';

export interface JobEstimator {
  /** Estimated seconds of a job. */
  seconds: CostEstimate;
  /** How many of the given jobs each source covered. */
  sources(jobs: readonly Job[]): Record<EstimateSource, number>;
}

/**
 * Seconds per job from the record, with `calibrated` (samples/s by training key, e.g. from a one-second
 * calibration) filling training keys the record lacks.
 */
export function jobEstimator(
  plan: Pick<Plan, 'jobs'>,
  record: ThroughputRecord,
  backend: string,
  calibrated: Record<string, number> = {},
): JobEstimator {
  const byId = new Map(plan.jobs.map((job) => [job.id, job]));
  const lookup = (id: string): { seconds: number; source: EstimateSource } => {
    const job = byId.get(id);
    if (!job) return { seconds: 0, source: 'unknown' };
    const work = trainingWork(plan, job);
    if (work && job.cost) {
      const key = trainingKey(work, backend);
      const recorded = record.training[key];
      const rate = recorded?.length ? median(recorded) : calibrated[key];
      if (rate === undefined) return { seconds: 0, source: 'unknown' };
      const seconds = (job.cost.samples * job.cost.epochs) / rate;
      return { seconds, source: recorded?.length ? 'recorded' : 'calibrated' };
    }
    const times = record.jobs[jobKey(job, backend)];
    return times?.length ? { seconds: median(times), source: 'recorded' } : { seconds: 0, source: 'unknown' };
  };
  return {
    seconds: (job) => lookup(job.id).seconds,
    sources(jobs) {
      const counts: Record<EstimateSource, number> = { recorded: 0, calibrated: 0, unknown: 0 };
      for (const job of jobs) counts[lookup(job.id).source]++;
      return counts;
    },
  };
}

/** The training keys of `jobs` the record has no figure for (what a calibration has to measure). */
export function unrecordedTraining(
  plan: Pick<Plan, 'jobs'>,
  jobs: readonly Job[],
  record: ThroughputRecord,
  backend: string,
): Map<string, TrainingWork> {
  const missing = new Map<string, TrainingWork>();
  for (const job of jobs) {
    const work = trainingWork(plan, job);
    if (!work) continue;
    const key = trainingKey(work, backend);
    if (!record.training[key]?.length) missing.set(key, work);
  }
  return missing;
}
