// Preloaded into a process (`NODE_OPTIONS=--import <this file>`) with SHIFTLAB_LOADED_PACKAGES naming a file: at
// exit that file holds the sorted names of every node_modules package the process loaded, ES modules (seen by a
// resolve hook) and CommonJS ones (Node's require cache) alike. test/cli/startup.test.ts reads it.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const out = process.env.SHIFTLAB_LOADED_PACKAGES;
// The main thread's packages only: a worker thread that preloads this too leaves the file alone.
if (out && isMainThread) {
  const resolved = `${out}.resolved`;
  writeFileSync(resolved, '');
  // The hook runs on the loader's own thread: it appends each resolved URL, the exit handler below reads them.
  const hook = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(resolved)}, result.url + '\\n');
  return result;
}`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
  const require = createRequire(import.meta.url);
  process.on('exit', () => {
    const files = [...readFileSync(resolved, 'utf8').split('\n'), ...Object.keys(require.cache)];
    const packages = new Set();
    for (const file of files) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
      if (name) packages.add(name);
    }
    writeFileSync(out, JSON.stringify([...packages].sort()));
  });
}
