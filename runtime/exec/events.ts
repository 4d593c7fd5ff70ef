// What the executor reports while it runs. Plain data, so the CLI can print it, draw it or emit it as JSON lines.
import type { SourceRef } from '../plan.ts';

export type ExecEvent =
  | { type: 'plan-start'; total: number; cached: number; toRun: number; workers: number }
  /** The wall time the jobs to run are expected to take (from the job-time estimate, workers' start-up aside). */
  | { type: 'estimate'; seconds: number; workers: number }
  | { type: 'job-start'; jobId: string; kind: string; worker: number }
  | { type: 'job-progress'; jobId: string; worker: number; epoch: number; epochs: number; loss?: number }
  | { type: 'job-done'; jobId: string; kind: string; cached: boolean; seconds: number }
  | { type: 'job-failed'; jobId: string; kind: string; message: string; source?: SourceRef }
  | { type: 'cache-corrupt'; jobId: string; hash: string; reason: string }
  | {
      type: 'plan-done';
      ran: number;
      cached: number;
      failed: number;
      /** Jobs not run: a dependency failed, or the run was interrupted. */
      skipped: number;
      seconds: number;
      interrupted: boolean;
      /** Busy worker-seconds over available worker-seconds while jobs ran (absent when none had to run). */
      utilisation?: number;
    };

export type ExecEventListener = (event: ExecEvent) => void;
