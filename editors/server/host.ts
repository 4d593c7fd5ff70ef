// Where a document's requests are answered: on the main thread for small documents (their analysis takes a few
// milliseconds), in the analysis worker (worker.ts) for big ones, so the connection keeps answering while one is
// checked. Both run the same request table (requests.ts); only the transport differs.
import { Worker } from 'node:worker_threads';
import { ErrorCodes, type CancellationToken } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analyses, Answer, RequestMethod } from './requests.ts';

/** Documents from this size on are analysed in the worker (a 300-line study is about 10 kB). */
export const WORKER_FROM_BYTES = 200_000;

/** A request the worker did not run: cancelled, for a closed document, or diagnostics of a superseded version. */
export type Dropped = { dropped: 'cancelled' | 'closed' | 'stale' };
export type Reply = Answer | Dropped;

export type ToWorker =
  | { kind: 'text'; uri: string; version: number; text: string }
  | { kind: 'close'; uri: string }
  | { kind: 'cancel'; id: number }
  | {
      kind: 'request';
      id: number;
      uri: string;
      version: number;
      method: string;
      params: unknown;
      roots: readonly string[];
    };
export type FromWorker = { id: number } & Reply;

export interface Host {
  answer(document: TextDocument, method: RequestMethod, params: unknown, token?: CancellationToken): Promise<Reply>;
  close(uri: string): void;
}

/** Loads the parser, checker and request table on first use, so the server answers `initialize` without them. */
export class LocalHost implements Host {
  private loaded: Promise<{ analyses: Analyses; answer: typeof import('./requests.ts').answer }> | undefined;

  constructor(private readonly roots: () => readonly string[]) {}

  load() {
    this.loaded ??= import('./requests.ts').then((module) => ({
      analyses: new module.Analyses(),
      answer: module.answer,
    }));
    return this.loaded;
  }

  async answer(document: TextDocument, method: RequestMethod, params: unknown): Promise<Reply> {
    const { analyses, answer } = await this.load();
    return answer(analyses, document, method, params, this.roots());
  }

  close(uri: string): void {
    void this.load().then(({ analyses }) => analyses.forget(uri));
  }
}

const workerEntry = new URL('./worker-entry.mjs', import.meta.url);

export class WorkerHost implements Host {
  private worker: Worker | undefined;
  /** The version of each document whose text the worker has. */
  private readonly sent = new Map<string, number>();
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private nextId = 0;

  constructor(private readonly roots: () => readonly string[]) {}

  /** Started on first use; a worker that dies fails its pending requests and the next request starts a new one. */
  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerEntry);
    worker.unref();
    worker.on('message', (message: FromWorker) => {
      const done = this.pending.get(message.id);
      this.pending.delete(message.id);
      done?.(message);
    });
    const fail = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.sent.clear();
      for (const done of this.pending.values())
        done({ error: { code: ErrorCodes.InternalError, message: `shiftlab analysis worker ${why}` } });
      this.pending.clear();
    };
    worker.on('error', (error) => fail(`failed: ${error.message}`));
    worker.on('exit', (code) => fail(`exited with code ${code}`));
    this.worker = worker;
    return worker;
  }

  answer(document: TextDocument, method: RequestMethod, params: unknown, token?: CancellationToken): Promise<Reply> {
    const worker = this.start();
    const { uri, version } = document;
    if (this.sent.get(uri) !== version) {
      worker.postMessage({ kind: 'text', uri, version, text: document.getText() } satisfies ToWorker);
      this.sent.set(uri, version);
    }
    const id = this.nextId++;
    return new Promise<Reply>((resolve) => {
      this.pending.set(id, resolve);
      worker.postMessage({ kind: 'request', id, uri, version, method, params, roots: this.roots() } satisfies ToWorker);
      // Answered here at once; the worker drops the request if it has not started it.
      token?.onCancellationRequested(() => {
        if (!this.pending.delete(id)) return;
        worker.postMessage({ kind: 'cancel', id } satisfies ToWorker);
        resolve({ dropped: 'cancelled' });
      });
    });
  }

  close(uri: string): void {
    if (!this.sent.delete(uri)) return;
    this.worker?.postMessage({ kind: 'close', uri } satisfies ToWorker);
  }
}
