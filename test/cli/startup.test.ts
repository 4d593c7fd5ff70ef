// What each command loads, counted in the built CLI's own process (test/helpers/loaded-packages.mjs lists every
// node_modules package it resolved): the commands that only read a study load no TF.js, since the builtin
// definitions the checker reads import it only as types; a fully cached run loads neither TF.js nor the packages
// of the live display, the statistics and the report, starts no worker and leaves its results and report alone.
import { mkdtempSync, readFileSync, statSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli, type CliResult } from '../helpers/cli.ts';

const recorder = pathToFileURL(fileURLToPath(new URL('../helpers/loaded-packages.mjs', import.meta.url))).href;
const quickstart = fileURLToPath(new URL('../../examples/quickstart.study', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'shiftlab-startup-'));
const study = join(dir, 'micro.study');
copyFileSync(fileURLToPath(new URL('./fixtures/micro.study', import.meta.url)), study);
let calls = 0;

/** Runs the built CLI with the recorder preloaded: its result and the packages its main thread loaded. */
function traced(args: string[]): CliResult & { packages: string[] } {
  const file = join(dir, `packages-${calls++}.json`);
  const result = runCli(args, {
    cwd: dir,
    env: { NODE_OPTIONS: `--import ${recorder}`, SHIFTLAB_LOADED_PACKAGES: file },
  });
  return { ...result, packages: JSON.parse(readFileSync(file, 'utf8')) as string[] };
}

const tfjs = (packages: string[]) => packages.filter((name) => name.startsWith('@tensorflow/'));
const runArgs = ['run', study, '--cache', join(dir, 'cache'), '--out', join(dir, 'out'), '--workers', '1', '--json'];
const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

test('a run with jobs to do loads TF.js (the recorder sees it) and fills the cache', () => {
  const first = traced(runArgs);
  assert.is(first.status, 0, first.stderr);
  assert.ok(tfjs(first.packages).includes('@tensorflow/tfjs-core'), first.packages.join(', '));
  assert.ok(jsonLines(first.stdout).some((event) => event.type === 'job-start'));
});

for (const args of [
  ['check', quickstart],
  ['plan', quickstart],
  ['fmt', '--check', quickstart],
  ['diff', quickstart, quickstart],
]) {
  test(`shiftlab ${args[0]} loads no TF.js`, () => {
    const result = traced(args);
    assert.is(result.status, 0, result.stderr);
    assert.equal(tfjs(result.packages), []);
  });
}

test('a fully cached run starts no worker, loads no TF.js, cli-progress, @stdlib, shiki or vega, rewrites nothing', () => {
  const files = ['results.json', 'metrics.csv', 'report.html'].map((name) => join(dir, 'out', name));
  const written = files.map((file) => statSync(file).mtimeMs);
  const again = traced(runArgs);
  assert.is(again.status, 0, again.stderr);
  const events = jsonLines(again.stdout);
  const start = events.find((event) => event.type === 'plan-start')!;
  assert.is(start.toRun, 0);
  assert.is(start.workers, 0);
  assert.is(events.filter((event) => event.type === 'job-start').length, 0);
  assert.is(events.at(-1)!.type, 'run-done');
  const heavy = again.packages.filter((name) => /^(@tensorflow\/|@stdlib\/|cli-progress$|shiki$|vega)/.test(name));
  assert.equal(heavy, []);
  assert.equal(
    files.map((file) => statSync(file).mtimeMs),
    written,
    'results.json, metrics.csv and report.html are left as the first run wrote them',
  );
});

test.run();
