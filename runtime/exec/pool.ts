// Runners execute one job at a time per slot. ThreadPool gives each slot a worker thread (its own TF.js
// instance, so jobs train in parallel); InProcessRunner runs handlers on the calling thread (tests, debugging).
import { Worker } from 'node:worker_threads';
import {
  loadHandlerModule,
  moduleUrl,
  runHandler,
  type HandlerModule,
  type HandlerModuleSpec,
  type JobProgress,
} from './handler.ts';
import { deserializeError, type FromWorker, type JobTask, type ToWorker } from './messages.ts';

export interface RunningJob {
  /** The slot (worker index) running the job. */
  worker: number;
  /** Settles when the job's handler has finished (or failed, or the runner was closed). */
  done: Promise<void>;
}

export interface JobRunner {
  readonly size: number;
  /** Loads the handlers everywhere; rejects if the handler module cannot be loaded or initialised. */
  start(): Promise<void>;
  /** Runs a job on an idle slot; the caller never has more than `size` jobs running. */
  run(task: JobTask, onProgress: (progress: JobProgress) => void): RunningJob;
  /** Stops everything: running jobs reject with an interruption error. */
  close(): Promise<void>;
}

export class InterruptedError extends Error {
  constructor() {
    super('interrupted');
    this.name = 'InterruptedError';
  }
}

interface Pending {
  resolve(): void;
  reject(error: Error): void;
  onProgress(progress: JobProgress): void;
}

interface Slot {
  index: number;
  worker?: Worker;
  ready?: Promise<void>;
  current?: Pending;
}

const workerEntry = new URL('./worker-entry.mjs', import.meta.url);

export class ThreadPool implements JobRunner {
  private readonly slots: Slot[];
  private closing = false;

  constructor(
    readonly size: number,
    private readonly handlers: HandlerModuleSpec,
  ) {
    this.slots = Array.from({ length: size }, (_, index) => ({ index }));
  }

  async start(): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.spawn(slot)));
  }

  run(task: JobTask, onProgress: (progress: JobProgress) => void): RunningJob {
    const slot = this.slots.find((candidate) => !candidate.current);
    if (!slot) throw new Error('ThreadPool.run called with every worker busy');
    const ready = slot.worker ? slot.ready! : this.spawn(slot);
    const done = new Promise<void>((resolve, reject) => {
      slot.current = { resolve, reject, onProgress };
    });
    ready.then(
      () => this.post(slot, { type: 'run', task }),
      (error: Error) => this.settle(slot, error),
    );
    return { worker: slot.index, done };
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        this.settle(slot, new InterruptedError());
        await slot.worker?.terminate();
        slot.worker = undefined;
      }),
    );
  }

  private spawn(slot: Slot): Promise<void> {
    const worker = new Worker(workerEntry);
    slot.worker = worker;
    let lastError: Error | undefined;
    slot.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'ready':
            return resolve();
          case 'init-failed':
            return reject(deserializeError(message.error));
          case 'progress':
            return slot.current?.onProgress(message.progress);
          case 'done':
            return this.settle(slot);
          case 'failed':
            return this.settle(slot, deserializeError(message.error));
        }
      });
      worker.on('error', (error) => {
        lastError = error;
      });
      worker.on('exit', (code) => {
        if (slot.worker === worker) slot.worker = undefined;
        if (this.closing) return;
        // A crash (out of memory, an uncaught error in the handler's own callbacks) fails the job it was running.
        const crash = new Error(
          `worker ${slot.index} stopped unexpectedly (exit code ${code})${lastError ? `: ${lastError.message}` : ''}`,
        );
        reject(crash);
        this.settle(slot, crash);
      });
    });
    // Keep an unobserved init failure from becoming an unhandled rejection; callers see it through `ready`.
    slot.ready.catch(() => undefined);
    this.post(slot, { type: 'init', module: moduleUrl(this.handlers.module), options: this.handlers.options });
    return slot.ready;
  }

  private post(slot: Slot, message: ToWorker): void {
    slot.worker?.postMessage(message);
  }

  private settle(slot: Slot, error?: Error): void {
    const pending = slot.current;
    slot.current = undefined;
    if (!pending) return;
    if (error) pending.reject(error);
    else pending.resolve();
  }
}

export class InProcessRunner implements JobRunner {
  readonly size = 1;
  private module?: HandlerModule;
  private readonly abort = new AbortController();
  private readonly pending = new Set<(error: Error) => void>();

  constructor(private readonly handlers: HandlerModuleSpec) {}

  async start(): Promise<void> {
    this.module = await loadHandlerModule(this.handlers);
  }

  run(task: JobTask, onProgress: (progress: JobProgress) => void): RunningJob {
    const module = this.module;
    if (!module) throw new Error('InProcessRunner.run called before start');
    const done = new Promise<void>((resolve, reject) => {
      this.pending.add(reject);
      runHandler(module, { ...task, signal: this.abort.signal, progress: onProgress })
        .then(resolve, reject)
        .finally(() => this.pending.delete(reject));
    });
    return { worker: 0, done };
  }

  async close(): Promise<void> {
    // A handler on this thread cannot be killed: signal it, and stop waiting for it.
    this.abort.abort();
    for (const reject of this.pending) reject(new InterruptedError());
    this.pending.clear();
  }
}
