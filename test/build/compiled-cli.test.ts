// The built CLI (bin/shiftlab.mjs → dist/, what users run) behaves exactly as the TypeScript sources run through
// tsx: same stdout, stderr and exit status for a passing and a failing check, the plan as JSON, and fmt. And the
// build's worker thread and handler module load in a plain `node` process, with no TypeScript loader.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot, runCli, runSourceCli } from '../helpers/cli.ts';

const scratch = mkdtempSync(join(tmpdir(), 'shiftlab-build-'));
test.after(() => rmSync(scratch, { recursive: true, force: true }));

const broken = join(scratch, 'broken.study');
writeFileSync(broken, 'study broken {\n  seed 0\n  data digits = mnist { train 20 }\n  arm a { init nowhere }\n}\n');
const unformatted = join(scratch, 'unformatted.study');
writeFileSync(unformatted, 'study unformatted {\nseed   0\n}\n');
const quickstart = join(repoRoot, 'examples/quickstart.study');
const cache = join(scratch, 'cache');

const commands: [string, string[]][] = [
  ['check (clean)', ['check', quickstart]],
  ['check --format json (errors)', ['check', broken, '--format', 'json']],
  ['check (errors, carets)', ['check', broken]],
  ['plan --json', ['plan', quickstart, '--json', '--cache', cache]],
  ['fmt', ['fmt', join(repoRoot, 'examples/tint_and_flip.study')]],
  ['fmt --check (a diff)', ['fmt', '--check', unformatted]],
];

for (const [name, args] of commands) {
  test(`built and TypeScript CLI agree: ${name}`, () => {
    const built = runCli(args);
    const source = runSourceCli(args);
    assert.ok(built.stdout.length + built.stderr.length > 0, 'the command printed something');
    assert.equal(built.status, source.status, 'exit status');
    assert.equal(built.stdout, source.stdout, 'stdout');
    assert.equal(built.stderr, source.stderr, 'stderr');
  });
}

test('the failing check really fails (the comparison above covers an error path)', () => {
  assert.equal(runCli(['check', broken]).status, 1);
});

test('the built worker thread loads the built handler module in plain node (no tsx)', () => {
  const script = [
    "import { Worker } from 'node:worker_threads';",
    `const worker = new Worker(new URL(${JSON.stringify(pathToFileURL(join(repoRoot, 'dist/worker.js')).href)}));`,
    "worker.on('message', (message) => { console.log(message.type); worker.terminate(); });",
    `worker.postMessage({ type: 'init', module: ${JSON.stringify(pathToFileURL(join(repoRoot, 'dist/handlers.js')).href)}, options: { backend: 'cpu' } });`,
  ].join('\n');
  const probe = join(scratch, 'probe.mjs');
  writeFileSync(probe, script);
  const result = spawnSync(process.execPath, [probe], { cwd: scratch, encoding: 'utf8' });
  assert.equal(result.stderr, '');
  assert.equal(result.stdout.trim(), 'ready', 'the worker initialised the handler module (TF.js on the cpu backend)');
  assert.equal(result.status, 0);
});

test.run();
