// The Plan: plain, JSON-serialisable, versioned data shared by the compiler (which builds it) and the
// runtime (which executes it). One source of truth for `run`, `plan`, `diff`, compiled scripts and SLURM.
import { createHash } from 'node:crypto';

/** Bumped when the shape of a Plan changes. */
export const PLAN_FORMAT_VERSION = 1;
/**
 * Bumped when a job kind's artifacts or semantics change: part of every job hash, so old cache entries go
 * stale. 2: tensor jobs record their backend; an arm's `limit` applies after its `balanced_by`.
 */
export const RUNTIME_FORMAT_VERSION = 2;

export const JOB_KINDS = [
  'load',
  'transform',
  'features',
  'pretrain',
  'train',
  'checkpoint',
  'sweep-select',
  'reweight',
  'predict',
  'metric',
  'fit-baseline',
  'effective-robustness',
  'support-split',
  'support-sweep',
  'expect',
] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The study line a job came from, so runtime errors can point back at it. */
export interface SourceRef {
  file: string;
  line: number;
  column: number;
  text: string;
}

/** Estimated cost of a job, for `shiftlab plan`: training samples × epochs. */
export interface JobCost {
  samples: number;
  epochs: number;
}

/** Where a model is evaluated, by name: a predict or metric job's labels. */
export interface EvaluationLabels {
  /** The ModelResult name (`from_scratch.copy0.epoch4`, `fine_tuned.copy2`), or `arm.param=value` for a candidate. */
  model: string;
  group: string;
  copy?: number;
  epoch?: number;
  /** Set for a sweep candidate's evaluation (left out of results). */
  candidate?: number;
  /** The distribution, or the support split for a part; `distribution.split` (or `split.part`) keys the metrics. */
  distribution: string;
  split: 'train' | 'val' | 'test';
  part?: 'in_support' | 'out_of_support';
}

/**
 * `Job.labels` by job kind: what a job is about, by name. Never hashed (renaming a declaration must not
 * invalidate work), so nothing a handler computes or caches may depend on them: they are read only to
 * assemble results and render plans, always from the current study's plan.
 */
export interface JobLabelsByKind {
  load: { data: string };
  transform: { distribution: string };
  features: { backbone: string; distribution: string; split: 'train' | 'val' | 'test' };
  pretrain: { pretrain: string };
  /** A copy of a baseline or arm, or (with `candidate`, the swept value) one sweep candidate. */
  train: { group: string; copy: number } | { group: string; candidate: number };
  checkpoint: { group: string; copy: number; epoch: number };
  'sweep-select': { group: string };
  reweight: { group: string; copy: number };
  predict: EvaluationLabels;
  metric: EvaluationLabels;
  /** `interval`: the compare's confidence level as results report it (also for a compare without arms). */
  'fit-baseline': { compare: string; target: string; interval: number };
  'effective-robustness': { compare: string; arm: string; target: string };
  /** `shift`: the declared shift's name, or `from -> to`. */
  'support-split': { split: string; shift: string };
  /** `arms`: the comparison's arm names, in the order of the job's deps and artifact. */
  'support-sweep': { compare: string; split: string; arms: string[] };
  /**
   * `source`: the claim as printed; `operands`: a name per dep (`robustness.fine_tuned.flip` for a comparison
   * result, `accuracy(ft.copy0, reference.test)` for one copy's metric); `calls`: each metric call as printed, in
   * the claim's order (results show its mean over the copies under that name).
   */
  expect: { source: string; line: number; operands: string[]; calls?: string[] };
}
export type JobLabels<K extends JobKind = JobKind> = JobLabelsByKind[K];

/** A user file a job reads (a CSV, IDX file, model.json or weight shard) and the sha256 of its content. */
export interface InputDigest {
  /** As shown to the user: relative to the study file's folder ('/'-separated), or absolute outside it. */
  path: string;
  sha256: string;
}

interface JobFields {
  /** Readable and stable, e.g. 'train:from_scratch#0'. */
  id: string;
  /** Normalised, plain JSON: everything that determines the job's output besides its dependencies. */
  spec: JsonValue;
  /** Ids of the jobs whose artifacts this job reads, in an order the planner keeps deterministic. */
  deps: string[];
  /**
   * The user files it reads, in the order its builtin lists them (runtime/input-files.ts). Their digests are
   * part of the hash (their paths are not: the spec holds each path as written); absent when it reads none.
   */
  inputs?: InputDigest[];
  /** jobHash(kind, spec, hashes of deps in `deps` order, digests of `inputs`). */
  hash: string;
  source?: SourceRef;
  cost?: JobCost;
}

/** A job of one kind, with that kind's labels (narrowing on `kind` narrows `labels`). */
export type JobOf<K extends JobKind> = JobFields & { kind: K; labels?: JobLabelsByKind[K] };
export type Job = { [K in JobKind]: JobOf<K> }[JobKind];

/** The jobs of one kind, typed as such (their labels narrowed with them). */
export function jobsOfKind<K extends JobKind>(jobs: readonly Job[], kind: K): Extract<Job, { kind: K }>[] {
  return jobs.filter((job): job is Extract<Job, { kind: K }> => job.kind === kind);
}

export interface Plan {
  formatVersion: number;
  /** `dir`: the absolute folder relative input paths resolve against (the study file's); not hashed. */
  study: { name: string; file: string; seed: number; dir?: string };
  /** planHash(jobs). */
  hash: string;
  jobs: Job[];
}

/**
 * JSON with object keys sorted at every level, so key order never changes a hash. Keys whose value is
 * `undefined` are dropped (as JSON.stringify does); non-finite numbers are rejected because JSON would
 * silently turn them into null.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Bumped, per job kind, when that kind's artifacts or semantics change, so only its entries (and what
 * depends on them) go stale. metric 1: metrics.json records each metric's own N (a worst group's size).
 * reweight 1: DFR fits sklearn's C = 0.001 to convergence (L-BFGS) with 'balanced' group weights.
 * support-split 1: parts.json keeps every example's log density ratio, which the ε sweep cuts its parts from.
 */
export const HANDLER_VERSIONS: Partial<Record<string, number>> = { metric: 1, reweight: 1, 'support-split': 1 };

/**
 * A job's content hash: sha256 of its kind, spec, dependency hashes, the content digests of the user files it
 * reads (in order), the runtime format version and the kind's handler version. Input digests and the handler
 * version are left out when absent, so jobs that read no user file, of kinds never bumped, keep their hashes.
 */
export function jobHash(
  kind: string,
  spec: unknown,
  depHashes: readonly string[],
  inputDigests: readonly string[] = [],
): string {
  const handler = HANDLER_VERSIONS[kind];
  return sha256(
    canonicalJson({
      kind,
      spec,
      deps: depHashes,
      runtime: RUNTIME_FORMAT_VERSION,
      ...(handler === undefined ? {} : { handler }),
      ...(inputDigests.length === 0 ? {} : { inputs: inputDigests }),
    }),
  );
}

/** A plan's hash: its format version and the set of its job hashes (job order does not matter). */
export function planHash(jobs: readonly Pick<Job, 'hash'>[]): string {
  return sha256(canonicalJson({ plan: PLAN_FORMAT_VERSION, jobs: jobs.map((job) => job.hash).sort() }));
}
