// The executor's public API: run a plan on a worker pool against a content-addressed cache.
export {
  Cache,
  MANIFEST_FILE,
  type CacheLookup,
  type Manifest,
  type ManifestFile,
  type PendingEntry,
} from './cache.ts';
export type { ExecEvent, ExecEventListener } from './events.ts';
export type { HandlerModule, HandlerModuleSpec, JobContext, JobHandler, JobProgress, RunnableJob } from './handler.ts';
export { FileDigests, InputFileError, type FileDigest, type FileSetDigest } from './file-digest.ts';
export { changedInputs, inputsKey, recordInputs } from './input-history.ts';
export { interruptOnSignals, type Interruption } from './interrupt.ts';
export {
  executePlan,
  JobFailedError,
  PlanError,
  type ExecResult,
  type ExecuteOptions,
  type RunnablePlan,
} from './scheduler.ts';
