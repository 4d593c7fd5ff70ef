// The analysis worker: big documents are analysed here, off the thread that reads and answers the connection,
// so a 1 MB study being checked does not hold up a hover on a small one or a cancellation. It keeps the latest
// text of each document the main thread routed to it and answers requests one per turn of the event loop, so
// texts, cancellations and newer versions that arrived meanwhile are seen first: a cancelled request, or a
// diagnostics request for a version that is no longer the latest, is dropped without analysing anything.
import { parentPort } from 'node:worker_threads';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyses, answer, type RequestMethod } from './requests.ts';
import type { FromWorker, ToWorker } from './host.ts';

const port = parentPort!;
const documents = new Map<string, TextDocument>();
const analyses = new Analyses();
const queue: Extract<ToWorker, { kind: 'request' }>[] = [];
const cancelled = new Set<number>();
let scheduled = false;

const post = (message: FromWorker) => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  switch (message.kind) {
    case 'text':
      documents.set(message.uri, TextDocument.create(message.uri, 'shiftlab', message.version, message.text));
      return;
    case 'close':
      documents.delete(message.uri);
      analyses.forget(message.uri);
      return;
    case 'cancel':
      cancelled.add(message.id);
      return;
    case 'request':
      queue.push(message);
      schedule();
  }
});

function schedule() {
  if (scheduled) return;
  scheduled = true;
  setImmediate(step);
}

function step() {
  scheduled = false;
  const request = queue.shift();
  if (!request) return;
  if (queue.length) schedule();
  if (cancelled.delete(request.id)) return post({ id: request.id, dropped: 'cancelled' });
  const document = documents.get(request.uri);
  if (!document) return post({ id: request.id, dropped: 'closed' });
  if (request.method === 'diagnostics' && request.version < document.version)
    return post({ id: request.id, dropped: 'stale' });
  post({
    id: request.id,
    ...answer(analyses, document, request.method as RequestMethod, request.params, request.roots),
  });
}
