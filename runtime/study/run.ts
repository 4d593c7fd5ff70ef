// Runs a planned study end to end: execute its jobs on the worker pool against the cache, then assemble
// results.json, metrics.csv and report.html. What `shiftlab run` and compiled scripts both call.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackendChoice } from '../backend/choice.ts';
import type { ExecEventListener } from '../exec/events.ts';
import { executePlan, type ExecResult, type JobFailedError } from '../exec/scheduler.ts';
import type { HandlerOptions } from '../jobs/handlers.ts';
import type { Job, Plan } from '../plan.ts';
import { writeReport } from '../report/index.ts';
import type { ExpectationResult, Results } from '../results.ts';
import { DEFAULT_BACKEND, defaultWorkerCount } from './defaults.ts';
import { estimatorFor } from './estimate.ts';
import { assembleResults, previousResultsText, writeResultFiles } from './results.ts';
import { readThroughput, recordedStart, recordJob, recordStart, writeThroughput } from './throughput.ts';

/** The worker module holding a handler for every job kind. */
const HANDLER_MODULE = new URL('../jobs/handlers.ts', import.meta.url);

export interface RunStudyOptions {
  cacheDir: string;
  /** Where results.json, metrics.csv and report.html go. */
  outDir: string;
  backend?: BackendChoice;
  /** Worker threads (default: number of cores; 0 runs jobs on this thread). */
  workers?: number;
  onEvent?: ExecEventListener;
  signal?: AbortSignal;
  /** Run only this job (its dependencies must be cached); no results are assembled. */
  only?: string;
  /**
   * Calibrate (one second per architecture, on this thread) what the throughput record lacks, so the run
   * can announce a wall-time estimate. Off by default: without it, a run with untimed training estimates nothing.
   */
  calibrate?: boolean;
  /** What results.json records about the study (defaults: the plan's name and file, no source text). */
  meta?: { title?: string; file?: string; source?: string };
}

export interface RunStudyResult {
  /** Every job finished and every expectation holds. */
  ok: boolean;
  interrupted: boolean;
  exec: ExecResult;
  failedJobs: JobFailedError[];
  failedExpectations: ExpectationResult[];
  /** The backend the run used. */
  backend: string;
  results?: Results;
  /** Written files (absent when the run did not get as far as results). */
  paths: { results?: string; metrics?: string; report?: string };
}

export async function runStudy(plan: Plan, options: RunStudyOptions): Promise<RunStudyResult> {
  // Resolve 'auto' once here, so every worker starts the same backend and results record which one ran; only
  // when a job has to run, so a fully cached run loads no TF.js (its results name the backends of the artifacts).
  let backend: string | undefined;
  const record = await readThroughput(options.cacheDir);
  const byId = new Map(plan.jobs.map((job) => [job.id, job]));
  const timed: { job: Job; seconds: number }[] = [];
  let startBefore = 0;
  const exec = await executePlan(plan, {
    cacheDir: options.cacheDir,
    workers: options.workers ?? defaultWorkerCount(),
    handlers: async () => {
      const { initBackend } = await import('../backend/index.ts');
      const started = (await initBackend(options.backend ?? DEFAULT_BACKEND)).name;
      backend = started;
      const handlerOptions: HandlerOptions = { backend: started };
      return { module: HANDLER_MODULE, options: { ...handlerOptions } };
    },
    // On the started backend. An architecture no earlier run here timed is calibrated for a second when asked;
    // otherwise there is no estimate (and jobs are ordered by samples × epochs).
    estimate: async (toRun) => {
      startBefore = recordedStart(record, backend!);
      const jobs = toRun.map((job) => byId.get(job.id)!);
      const estimator = await estimatorFor(plan, jobs, record, backend!, options.calibrate ?? false);
      return estimator.sources(jobs.filter((job) => job.cost)).unknown === 0 ? estimator.seconds : undefined;
    },
    onEvent: (event) => {
      if (event.type === 'job-done' && !event.cached)
        timed.push({ job: byId.get(event.jobId)!, seconds: event.seconds });
      options.onEvent?.(event);
    },
    signal: options.signal,
    only: options.only,
  });
  if (backend && timed.length > 0) {
    for (const { job, seconds } of timed) recordJob(record, plan, job, seconds, backend);
    if (exec.startSeconds !== undefined) recordStart(record, exec.startSeconds, backend);
    if ((options.backend ?? DEFAULT_BACKEND) === 'auto') record.auto = backend;
    await writeThroughput(options.cacheDir, record);
  }
  // The estimate as `plan` states it: the jobs' wall time plus the workers' start-up recorded before this run.
  const estimatedSeconds = exec.estimatedSeconds === undefined ? undefined : exec.estimatedSeconds + startBefore;
  const outcome: RunStudyResult = {
    ok: exec.ok,
    interrupted: exec.interrupted,
    exec,
    failedJobs: exec.failed,
    failedExpectations: [],
    backend: backend ?? options.backend ?? 'auto',
    paths: {},
  };
  if (!exec.ok || options.only) return outcome;

  const results = await assembleResults(plan, {
    cacheDir: options.cacheDir,
    backend: outcome.backend,
    study: {
      name: plan.study.name,
      title: options.meta?.title || plan.study.name,
      file: options.meta?.file ?? plan.study.file,
      source: options.meta?.source ?? '',
    },
  });
  if (exec.pool) results.pool = { ...exec.pool, ...(estimatedSeconds === undefined ? {} : { estimatedSeconds }) };
  await mkdir(options.outDir, { recursive: true });
  // A run that ran nothing and found the results the previous run wrote leaves its files as they are (with the
  // time and pool of the run that computed them), so the report is not redrawn either.
  const previous = exec.ran.length === 0 ? await previousResultsText(options.outDir) : undefined;
  const written = await writeResultFiles(options.outDir, results, { previous });
  const report = await writeReport(options.outDir, { resultsText: written.text });
  outcome.results = results;
  outcome.backend = backend ?? results.backend;
  outcome.failedExpectations = results.expectations.filter((expectation) => !expectation.passed);
  outcome.ok = outcome.failedExpectations.length === 0;
  outcome.paths = { ...written.paths, report };
  return outcome;
}

/** The default results folder of a study: `results/<study>/`. */
export function defaultOutDir(plan: Plan, root = 'results'): string {
  return join(root, plan.study.name);
}
