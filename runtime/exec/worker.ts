// A worker thread of the pool: loads the handler module once (its own TF.js instance), then runs one job at
// a time as the pool sends them, reporting progress, completion or failure.
import { parentPort } from 'node:worker_threads';
import { loadHandlerModule, runHandler, type HandlerModule } from './handler.ts';
import { serializeError, type FromWorker, type ToWorker } from './messages.ts';

const port = parentPort;
if (!port) throw new Error('runtime/exec/worker.ts must run in a worker thread');
const send = (message: FromWorker) => port.postMessage(message);
// Workers are terminated rather than aborted, so handlers here get a signal that never fires.
const never = new AbortController().signal;
let loaded: Promise<HandlerModule> | undefined;

port.on('message', (message: ToWorker) => {
  if (message.type === 'init') {
    loaded = loadHandlerModule({ module: message.module, options: message.options });
    loaded.then(
      () => send({ type: 'ready' }),
      (error) => send({ type: 'init-failed', error: serializeError(error) }),
    );
    return;
  }
  const { task } = message;
  (loaded ?? Promise.reject(new Error('worker received a job before its handler module')))
    .then((module) =>
      runHandler(module, { ...task, signal: never, progress: (progress) => send({ type: 'progress', progress }) }),
    )
    .then(
      () => send({ type: 'done' }),
      (error) => send({ type: 'failed', error: serializeError(error) }),
    );
});
