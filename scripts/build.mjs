#!/usr/bin/env node
// Builds the JavaScript that `bin/shiftlab.mjs`, worker threads and `shiftlab/runtime` load, so no command
// transpiles TypeScript at start (tsx stays for development: tests, benches, compiled scripts).
// Runs in `npm ci` (the `prepare` script) and before the tests that spawn the CLI. Usage: node scripts/build.mjs
//
// Layout: one flat folder, dist/<entry>.js plus shared chunks (code splitting keeps one copy of every module, so
// a worker's handler module and the worker share their TF.js instance). Packages stay external, except chevrotain:
// it is hundreds of small lodash-es modules that cost most of a second to load one by one.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist');

/** Output name (dist/<name>.js) → source. Every module loaded by path at run time must be an entry. */
export const entries = {
  cli: 'cli/main.ts',
  runtime: 'runtime/index.ts',
  worker: 'runtime/exec/worker.ts',
  handlers: 'runtime/jobs/handlers.ts',
  lsp: 'editors/server/main.ts',
  'lsp-worker': 'editors/server/worker.ts',
};
/** Source files that exist only to load TypeScript through tsx, and the built entry that replaces each. */
const replacedInBuild = { 'runtime/exec/worker-entry.mjs': 'worker', 'editors/server/worker-entry.mjs': 'lsp-worker' };

// The language server's packages too: an editor waits for `initialize` on every start, and Node's loading of CommonJS
// packages file by file (with its export lexer) is most of that wait.
const inlined = new Set([
  'chevrotain',
  'vscode-languageserver',
  'vscode-languageserver-textdocument',
  'vscode-jsonrpc',
]);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
export const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies })
  .filter((name) => !inlined.has(name))
  .flatMap((name) => [name, `${name}/*`]);

const builtName = new Map([
  ...Object.entries(entries).map(([name, source]) => [source, name]),
  ...Object.entries(replacedInBuild),
]);

/**
 * `new URL('<relative>', import.meta.url)` names a file next to the source module; in the bundle the module
 * lives in dist/, so each such URL is re-based at build time: to the built entry when it names one, else to
 * the same file from dist/ (package.json, bin/). A TypeScript file that is not an entry cannot be loaded from
 * the build, so it fails the build rather than the first run.
 */
const rebaseModuleUrls = {
  name: 'rebase-module-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
      const errors = [];
      const contents = source.replace(
        /new URL\((['"])(\.{1,2}\/[^'"]+)\1, import\.meta\.url\)/g,
        (match, _quote, rel) => {
          const target = relative(root, resolve(dirname(args.path), rel))
            .split('\\')
            .join('/');
          const name = builtName.get(target);
          if (name) return `new URL('./${name}.js', import.meta.url)`;
          if (/\.[cm]?ts$/.test(target) || target.startsWith('..'))
            errors.push({ text: `${match}: '${target}' is not a built entry (scripts/build.mjs)` });
          return `new URL('../${target}', import.meta.url)`;
        },
      );
      return { contents, loader: 'ts', errors };
    });
  },
};

export async function build() {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: entries,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    write: false,
    sourcemap: 'linked',
    sourcesContent: false,
    chunkNames: 'chunk-[hash]',
    logLevel: 'warning',
    plugins: [rebaseModuleUrls],
    // Inlined CommonJS packages `require` Node's builtins; an ES module has no `require` of its own.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  });
  // Write only what changed and drop stale chunks, so a rebuild is cheap and leaves running processes' files alone.
  mkdirSync(outdir, { recursive: true });
  const wanted = new Set();
  for (const file of result.outputFiles) {
    const name = relative(outdir, file.path);
    wanted.add(name);
    let current;
    try {
      current = readFileSync(file.path);
    } catch {
      current = undefined;
    }
    if (!current || !current.equals(file.contents)) writeFileSync(file.path, file.contents);
  }
  for (const name of readdirSync(outdir)) if (!wanted.has(name)) rmSync(join(outdir, name), { force: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await build();
  } catch {
    // esbuild has printed the errors with their locations.
    process.exitCode = 1;
  }
}
