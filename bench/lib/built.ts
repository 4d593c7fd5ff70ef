// Loads a bench's module as the shipped CLI runs it: bundled by esbuild with scripts/build.mjs's settings
// (chevrotain inlined, other packages external), not through tsx. tsx keeps function names, which wraps every
// closure a Chevrotain rule creates in a defineProperty call; that alone made parsing measurably slower than
// what `shiftlab check` runs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { external } from '../../scripts/build.mjs';

/** Inside the repository, so the bundle resolves its external packages from node_modules. */
const outdir = fileURLToPath(new URL('../../node_modules/.cache/shiftlab-bench/', import.meta.url));

export async function importBuilt<T>(entry: URL): Promise<T> {
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, `${process.pid}-${entry.pathname.split('/').pop()!.replace(/\.ts$/, '')}.mjs`);
  await esbuild.build({
    entryPoints: [fileURLToPath(entry)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    logLevel: 'warning',
  });
  return (await import(pathToFileURL(outfile).href)) as T;
}
