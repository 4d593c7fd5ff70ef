// A plan's estimated wall time on this machine: each job's seconds from the throughput record (earlier runs
// here), a one-second calibration per architecture the record lacks, and the scheduler's own order simulated
// on the workers. What `shiftlab plan` prints and the live display counts down from.
import type { BackendChoice } from '../backend/choice.ts';
import type { ModelSpec } from '../models/spec.ts';
import type { Job, Plan } from '../plan.ts';
import { simulatedWallTime } from '../exec/priority.ts';
import {
  jobEstimator,
  readThroughput,
  recordedStart,
  unrecordedTraining,
  type EstimateSource,
  type JobEstimator,
  type ThroughputRecord,
} from './throughput.ts';

export interface WallTimeEstimate {
  /** Estimated seconds from the first job's start to the last one's end. */
  seconds: number;
  workers: number;
  backend: string;
  /** How many of the jobs to run each source of figures covered ('unknown' ones count as 0 s). */
  sources: Record<EstimateSource, number>;
}

/**
 * The estimator for `jobs` (the ones to run) on `backend`. With `calibrate`, a training architecture the record
 * lacks is measured for a second (TF.js must be started on `backend`); without, it counts as unknown.
 */
export async function estimatorFor(
  plan: Pick<Plan, 'jobs'>,
  jobs: readonly Job[],
  record: ThroughputRecord,
  backend: string,
  calibrate: boolean,
): Promise<JobEstimator> {
  const calibrated: Record<string, number> = {};
  if (calibrate) {
    const { calibrateTraining } = await import('../train/calibrate.ts');
    for (const [key, work] of unrecordedTraining(plan, jobs, record, backend)) {
      if (work.shape.kind === 'unknown') continue;
      const shape =
        work.shape.kind === 'image' ? [work.shape.height, work.shape.width, work.shape.channels] : [work.shape.dim];
      // An architecture that cannot be built from its spec alone (a model file) stays unknown.
      calibrated[key] = await calibrateTraining(work.model as ModelSpec, shape, work.classes ?? 10, work.batch).catch(
        () => NaN,
      );
      if (!Number.isFinite(calibrated[key])) delete calibrated[key];
    }
  }
  return jobEstimator(plan, record, backend, calibrated);
}

export function wallTime(
  jobs: readonly Job[],
  estimator: JobEstimator,
  workers: number,
  backend: string,
): WallTimeEstimate {
  return {
    seconds: simulatedWallTime(jobs, estimator.seconds, workers),
    workers,
    backend,
    sources: estimator.sources(jobs),
  };
}

/** The backend a run with `choice` would use, as far as the record knows without starting TF.js. */
export async function recordedBackend(cacheDir: string, choice: string): Promise<string | undefined> {
  if (choice !== 'auto') return choice;
  return (await readThroughput(cacheDir)).auto;
}

/** `1m 05s`, `42s`. */
export function formatDuration(seconds: number): string {
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = `${String(whole % 60).padStart(2, '0')}s`;
  return hours ? `${hours}h ${String(minutes).padStart(2, '0')}m` : `${minutes}m ${rest}`;
}

/** `estimated wall time 1m 05s on 2 workers (wasm; 12 jobs from earlier runs here, 1 calibrated, 3 unknown)`. */
export function describeEstimate(estimate: WallTimeEstimate): string {
  const { recorded, calibrated, unknown } = estimate.sources;
  const parts = [
    recorded ? `${recorded} job${recorded === 1 ? '' : 's'} timed by earlier runs here` : '',
    calibrated ? `${calibrated} from a calibration` : '',
    unknown ? `${unknown} not timed yet, counted as 0 s` : '',
  ].filter(Boolean);
  const workers = `${estimate.workers} worker${estimate.workers === 1 ? '' : 's'}`;
  return `estimated wall time ${formatDuration(estimate.seconds)} on ${workers} (${estimate.backend}; ${parts.join(', ')})`;
}

/**
 * The estimate `shiftlab plan` shows for the jobs to run, or undefined when it cannot be made: nothing
 * recorded, and `calibrate` off (calibrating starts TF.js on the backend `auto` picks, then a second per
 * architecture).
 */
export async function estimatePlan(
  plan: Pick<Plan, 'jobs'>,
  jobs: readonly Job[],
  cacheDir: string,
  options: { workers: number; calibrate: boolean },
): Promise<WallTimeEstimate | undefined> {
  const record = await readThroughput(cacheDir);
  let backend = record.auto;
  const untimed = () => unrecordedTraining(plan, jobs, record, backend ?? '').size > 0;
  if (options.calibrate && (backend === undefined || untimed())) {
    const { initBackend } = await import('../backend/index.ts');
    backend = (await initBackend((backend ?? 'auto') as BackendChoice)).name;
  }
  if (backend === undefined) return undefined;
  const estimator = await estimatorFor(plan, jobs, record, backend, options.calibrate);
  if (estimator.sources(jobs.filter((job) => job.cost)).unknown > 0) return undefined;
  const workers = Math.max(1, Math.min(options.workers, jobs.length));
  const estimate = wallTime(jobs, estimator, workers, backend);
  return jobs.length ? { ...estimate, seconds: estimate.seconds + recordedStart(record, backend) } : estimate;
}
