// Runs a planned study end to end: execute its jobs on the worker pool against the cache, then assemble
// results.json, metrics.csv and report.html. What `shiftlab run` and compiled scripts both call.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackendChoice } from '../backend/choice.ts';
import type { ExecEventListener } from '../exec/events.ts';
import { executePlan, type ExecResult, type JobFailedError } from '../exec/scheduler.ts';
import type { HandlerOptions } from '../jobs/handlers.ts';
import type { Plan } from '../plan.ts';
import { writeReport } from '../report/index.ts';
import type { ExpectationResult, Results } from '../results.ts';
import { DEFAULT_BACKEND, defaultWorkerCount } from './defaults.ts';
import { assembleResults, writeResultFiles } from './results.ts';

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
    onEvent: options.onEvent,
    signal: options.signal,
    only: options.only,
  });
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
  if (exec.pool) results.pool = exec.pool;
  await mkdir(options.outDir, { recursive: true });
  const files = await writeResultFiles(options.outDir, results);
  const report = await writeReport(options.outDir);
  outcome.results = results;
  outcome.backend = backend ?? results.backend;
  outcome.failedExpectations = results.expectations.filter((expectation) => !expectation.passed);
  outcome.ok = outcome.failedExpectations.length === 0;
  outcome.paths = { ...files, report };
  return outcome;
}

/** The default results folder of a study: `results/<study>/`. */
export function defaultOutDir(plan: Plan, root = 'results'): string {
  return join(root, plan.study.name);
}
