// Runs a plan: skips jobs already in the cache, runs every other job once its dependencies are done, in
// parallel on a runner, and stores each finished job atomically in the cache. Because every finished job is
// in the cache the moment it finishes, an interrupted run (Ctrl-C, kill -9) resumes where it stopped.
import type { Plan, SourceRef } from '../plan.ts';
import { defaultWorkerCount } from '../study/defaults.ts';
import { Cache } from './cache.ts';
import type { ExecEvent, ExecEventListener } from './events.ts';
import type { HandlerModuleSpec, RunnableJob } from './handler.ts';
import { recordInputs } from './input-history.ts';
import { InProcessRunner, InterruptedError, ThreadPool, type JobRunner } from './pool.ts';

/** Temp dirs older than this were left by killed runs (long enough for a job still running on another node). */
const STALE_TEMP_MS = 7 * 24 * 3600 * 1000;

/** A plan the executor can run: any job kinds (the compiler's Plan is one). */
export interface RunnablePlan {
  study: Plan['study'];
  jobs: RunnableJob[];
}

export interface ExecuteOptions {
  cacheDir: string;
  /** Worker threads (default: number of cores). 0 runs jobs one at a time on the calling thread. */
  workers?: number;
  /** Or a function giving it, called only when some job has to run (e.g. to start TF.js only then). */
  handlers: HandlerModuleSpec | (() => Promise<HandlerModuleSpec>);
  onEvent?: ExecEventListener;
  /** Aborting stops scheduling, terminates the workers and returns with `interrupted: true`. */
  signal?: AbortSignal;
  /** Run just this job (for SLURM tasks); its dependencies must already be in the cache. */
  only?: string;
}

export interface ExecResult {
  ok: boolean;
  interrupted: boolean;
  /** Ids of jobs run and stored by this call. */
  ran: string[];
  /** Ids of jobs found in the cache. */
  cached: string[];
  failed: JobFailedError[];
  /** Ids of jobs not run: a dependency failed, or the run was interrupted. */
  skipped: string[];
  seconds: number;
}

/** A job's handler failed. Names the job and the study line it came from. */
export class JobFailedError extends Error {
  constructor(
    readonly jobId: string,
    readonly kind: string,
    readonly source: SourceRef | undefined,
    readonly detail: string,
  ) {
    super(
      `job ${jobId} (${kind}) failed${source ? ` at ${source.file}:${source.line}:${source.column}` : ''}: ${detail}`,
    );
    this.name = 'JobFailedError';
  }
}

/** The plan cannot be run as asked: unknown or cyclic dependencies, or `only` without its inputs cached. */
export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

export async function executePlan(plan: RunnablePlan, options: ExecuteOptions): Promise<ExecResult> {
  const started = performance.now();
  const emit = (event: ExecEvent) => options.onEvent?.(event);
  const byId = indexJobs(plan.jobs);
  const cache = new Cache(options.cacheDir);
  await cache.sweepTemp(STALE_TEMP_MS);

  const targets = options.only ? [jobNamed(byId, options.only)] : plan.jobs;
  const cached: string[] = [];
  const toRun: RunnableJob[] = [];
  for (const job of targets) {
    if (await isCached(cache, job, emit)) {
      cached.push(job.id);
      // The record names the digests last used, so a later edit is reported against them.
      await recordInputs(cache.dir, job, depHashes(job, byId));
    } else toRun.push(job);
  }
  // Jobs whose artifacts are in the cache; under `only`, that includes the job's dependencies (checked here).
  const available = new Set(cached);
  if (options.only && toRun.length > 0) {
    await requireCachedDeps(cache, toRun[0], byId, emit);
    for (const dep of toRun[0].deps) available.add(dep);
  }

  const workers = Math.max(0, Math.min(options.workers ?? defaultWorkerCount(), toRun.length));
  emit({ type: 'plan-start', total: targets.length, cached: cached.length, toRun: toRun.length, workers });
  for (const id of cached) emit({ type: 'job-done', jobId: id, kind: byId.get(id)!.kind, cached: true, seconds: 0 });

  const result: ExecResult = { ok: true, interrupted: false, ran: [], cached, failed: [], skipped: [], seconds: 0 };
  if (toRun.length > 0 && !options.signal?.aborted) {
    const handlers = typeof options.handlers === 'function' ? await options.handlers() : options.handlers;
    const runner: JobRunner = workers === 0 ? new InProcessRunner(handlers) : new ThreadPool(workers, handlers);
    try {
      await runner.start();
      await schedule(plan, toRun, available, cache, runner, options.signal, emit, result);
    } finally {
      await runner.close();
    }
  }
  result.interrupted = options.signal?.aborted ?? false;
  const settled = new Set([...result.ran, ...result.failed.map((failure) => failure.jobId)]);
  result.skipped = toRun.filter((job) => !settled.has(job.id)).map((job) => job.id);
  result.ok = result.failed.length === 0 && result.skipped.length === 0;
  result.seconds = (performance.now() - started) / 1000;
  emit({
    type: 'plan-done',
    ran: result.ran.length,
    cached: cached.length,
    failed: result.failed.length,
    skipped: result.skipped.length,
    seconds: result.seconds,
    interrupted: result.interrupted,
  });
  return result;
}

async function schedule(
  plan: RunnablePlan,
  toRun: RunnableJob[],
  available: Set<string>,
  cache: Cache,
  runner: JobRunner,
  signal: AbortSignal | undefined,
  emit: (event: ExecEvent) => void,
  result: ExecResult,
): Promise<void> {
  const runSet = new Set(toRun.map((job) => job.id));
  // Dependencies not yet available, per job to run; a job is ready at zero.
  const waitingOn = new Map(toRun.map((job) => [job.id, job.deps.filter((dep) => !available.has(dep)).length]));
  const dependents = new Map<string, RunnableJob[]>();
  for (const job of toRun)
    for (const dep of job.deps) if (runSet.has(dep)) dependents.set(dep, [...(dependents.get(dep) ?? []), job]);
  const ready = toRun.filter((job) => waitingOn.get(job.id) === 0);
  const running = new Map<string, Promise<void>>();
  const byId = new Map(plan.jobs.map((job) => [job.id, job]));
  const interrupted = new Promise<void>((resolve) =>
    signal?.addEventListener('abort', () => resolve(), { once: true }),
  );

  const launch = async (job: RunnableJob) => {
    const pending = await cache.begin(job.hash);
    const deps = Object.fromEntries(job.deps.map((dep) => [dep, cache.entryDir(byId.get(dep)!.hash)]));
    const began = performance.now();
    const { worker, done } = runner.run({ job, study: plan.study, outDir: pending.dir, deps }, (progress) =>
      emit({ type: 'job-progress', jobId: job.id, worker, ...progress }),
    );
    emit({ type: 'job-start', jobId: job.id, kind: job.kind, worker });
    const settled = done
      .then(async () => {
        await cache.commit(pending, job);
        await recordInputs(cache.dir, job, depHashes(job, byId));
        result.ran.push(job.id);
        emit({
          type: 'job-done',
          jobId: job.id,
          kind: job.kind,
          cached: false,
          seconds: (performance.now() - began) / 1000,
        });
        for (const dependent of dependents.get(job.id) ?? []) {
          const left = waitingOn.get(dependent.id)! - 1;
          waitingOn.set(dependent.id, left);
          if (left === 0) ready.push(dependent);
        }
      })
      .catch(async (error: unknown) => {
        await cache.discard(pending);
        if (error instanceof InterruptedError) return;
        const failure = new JobFailedError(
          job.id,
          job.kind,
          job.source,
          error instanceof Error ? error.message : String(error),
        );
        if (error instanceof Error && error.stack) failure.stack = error.stack;
        result.failed.push(failure);
        emit({ type: 'job-failed', jobId: job.id, kind: job.kind, message: failure.detail, source: job.source });
      })
      .finally(() => running.delete(job.id));
    running.set(job.id, settled);
  };

  while (!signal?.aborted) {
    while (ready.length > 0 && running.size < runner.size) await launch(ready.shift()!);
    if (running.size === 0) break;
    await Promise.race([...running.values(), interrupted]);
  }
  if (signal?.aborted) {
    await runner.close();
    await Promise.all(running.values());
  }
}

/** What a job's dependencies hash to: its input record is keyed by them (see input-history.ts). */
function depHashes(job: RunnableJob, byId: ReadonlyMap<string, Pick<RunnableJob, 'hash'>>): string[] {
  return job.deps.map((dep) => byId.get(dep)!.hash);
}

function indexJobs(jobs: RunnableJob[]): Map<string, RunnableJob> {
  const byId = new Map<string, RunnableJob>();
  for (const job of jobs) {
    if (byId.has(job.id)) throw new PlanError(`the plan has two jobs named ${job.id}`);
    byId.set(job.id, job);
  }
  for (const job of jobs) {
    for (const dep of job.deps) if (!byId.has(dep)) throw new PlanError(`job ${job.id} depends on unknown job ${dep}`);
  }
  assertAcyclic(jobs, byId);
  return byId;
}

function assertAcyclic(jobs: RunnableJob[], byId: Map<string, RunnableJob>): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (job: RunnableJob, path: string[]) => {
    if (state.get(job.id) === 'done') return;
    if (state.get(job.id) === 'visiting')
      throw new PlanError(`the plan has a dependency cycle: ${[...path, job.id].join(' -> ')}`);
    state.set(job.id, 'visiting');
    for (const dep of job.deps) visit(byId.get(dep)!, [...path, job.id]);
    state.set(job.id, 'done');
  };
  for (const job of jobs) visit(job, []);
}

function jobNamed(byId: Map<string, RunnableJob>, id: string): RunnableJob {
  const job = byId.get(id);
  if (!job) throw new PlanError(`the plan has no job ${id}`);
  return job;
}

async function isCached(cache: Cache, job: RunnableJob, emit: (event: ExecEvent) => void): Promise<boolean> {
  const found = await cache.lookup(job.hash);
  if (found.status === 'corrupt') emit({ type: 'cache-corrupt', jobId: job.id, hash: job.hash, reason: found.reason });
  return found.status === 'hit';
}

async function requireCachedDeps(
  cache: Cache,
  job: RunnableJob,
  byId: Map<string, RunnableJob>,
  emit: (event: ExecEvent) => void,
): Promise<void> {
  const missing: string[] = [];
  for (const dep of job.deps) if (!(await isCached(cache, byId.get(dep)!, emit))) missing.push(dep);
  if (missing.length > 0) {
    throw new PlanError(
      `job ${job.id} needs ${missing.join(', ')}, not in the cache ${cache.dir}; run ${missing.length > 1 ? 'them' : 'it'} first`,
    );
  }
}
