// The contract between the generic executor and the code that knows what a job kind does. A handler module
// (loaded once per worker, by path, so each worker thread gets its own TF.js instance) exports `handlers`,
// keyed by job kind, and optionally `init(options)`, e.g. to pick the tensor backend before any job runs.
import { pathToFileURL } from 'node:url';
import type { Job, JsonValue, Plan } from '../plan.ts';

/** A job as the executor sees it: a Plan job, but any kind string (so toy handlers can be tested). */
export type RunnableJob = Omit<Job, 'kind'> & { kind: string };

export interface JobProgress {
  epoch: number;
  epochs: number;
  loss?: number;
}

export interface JobContext {
  job: RunnableJob;
  study: Plan['study'];
  /** An empty directory: everything the handler writes here becomes the job's cached artifacts. */
  outDir: string;
  /** Artifact directory of each dependency, by job id, in `job.deps` order. Read only. */
  deps: Record<string, string>;
  /** Reports training progress; the executor forwards it as a `job-progress` event. */
  progress(update: JobProgress): void;
  /** Aborted when the run is interrupted (in-process runs only; worker threads are simply terminated). */
  signal: AbortSignal;
}

export type JobHandler = (context: JobContext) => Promise<void> | void;

export interface HandlerModule {
  handlers: Record<string, JobHandler>;
  init?(options: JsonValue | undefined): Promise<void> | void;
}

/** Where the handlers live: a module path (absolute, or a file: URL) and options passed to its `init`. */
export interface HandlerModuleSpec {
  module: string | URL;
  options?: JsonValue;
}

/** Imports a handler module and runs its `init`; the result is ready to run jobs. */
export async function loadHandlerModule(spec: HandlerModuleSpec): Promise<HandlerModule> {
  const url = moduleUrl(spec.module);
  const loaded = (await import(url)) as Partial<HandlerModule>;
  if (!loaded.handlers || typeof loaded.handlers !== 'object') {
    throw new Error(`handler module ${url} does not export \`handlers\` (an object of job handlers keyed by kind)`);
  }
  await loaded.init?.(spec.options);
  return { handlers: loaded.handlers, init: loaded.init };
}

export async function runHandler(module: HandlerModule, context: JobContext): Promise<void> {
  const handler = module.handlers[context.job.kind];
  if (!handler) throw new Error(`no handler for jobs of kind '${context.job.kind}'`);
  await handler(context);
}

/** A module reference that both `import()` and a worker thread can resolve. */
export function moduleUrl(module: string | URL): string {
  if (module instanceof URL) return module.href;
  return /^[a-z][a-z0-9+.-]*:/i.test(module) && !/^[a-z]:[\\/]/i.test(module) ? module : pathToFileURL(module).href;
}
