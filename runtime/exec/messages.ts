// Messages between the scheduler's thread pool and its workers, and how errors cross the thread boundary.
import type { JsonValue, Plan } from '../plan.ts';
import type { JobProgress, RunnableJob } from './handler.ts';

/** Everything a runner needs to run one job, as structured-clonable data. */
export interface JobTask {
  job: RunnableJob;
  study: Plan['study'];
  outDir: string;
  deps: Record<string, string>;
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export type ToWorker = { type: 'init'; module: string; options?: JsonValue } | { type: 'run'; task: JobTask };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'init-failed'; error: SerializedError }
  | { type: 'progress'; progress: JobProgress }
  | { type: 'done' }
  | { type: 'failed'; error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

export function deserializeError(serialized: SerializedError): Error {
  const error = new Error(serialized.message);
  error.name = serialized.name;
  if (serialized.stack) error.stack = serialized.stack;
  return error;
}
