// `shiftlab fmt` as a user runs it: stdout, --check (exit codes, diff), --write, bad input and usage.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';

const messy = 'study tiny {\n  seed   0\n  recipe fit {   lr 0.1,epochs 2 }\n}\n';
const tidy = 'study tiny {\n  seed 0\n  recipe fit { lr 0.1, epochs 2 }\n}\n';
const broken = 'study tiny {\n  seed 0\n  recipe fit { lr 0.1\n';

let dir = '';
test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'shiftlab-fmt-'));
});
test.after.each(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

test('prints the formatted text of one file to stdout and changes nothing', () => {
  const path = file('a.study', messy);
  const result = runCli(['fmt', path]);
  assert.is(result.status, 0, result.stderr);
  assert.is(result.stdout, tidy);
  assert.is(readFileSync(path, 'utf8'), messy);
});

test('- formats standard input to stdout; --check checks it', () => {
  assert.is(runCli(['fmt', '-'], { input: messy }).stdout, tidy);
  assert.is(runCli(['fmt', '--check', '-'], { input: tidy }).status, 0);
  assert.is(runCli(['fmt', '--check', '-'], { input: messy }).status, 1);
  assert.is(runCli(['fmt', '--write', '-'], { input: messy }).status, 2);
});

test('--check exits 0 and prints nothing when every file is formatted', () => {
  const result = runCli(['fmt', '--check', file('a.study', tidy), file('b.study', tidy)]);
  assert.is(result.status, 0, result.stderr);
  assert.is(result.stdout, '');
});

test('--check exits 1 with a unified diff of each unformatted file, and changes nothing', () => {
  const good = file('good.study', tidy);
  const bad = file('bad.study', messy);
  const result = runCli(['fmt', '--check', good, bad]);
  assert.is(result.status, 1);
  assert.match(result.stdout, `--- ${join('a', bad)}\n+++ ${join('b', bad)}\n@@ -1,4 +1,4 @@\n`);
  assert.match(
    result.stdout,
    '\n-  seed   0\n-  recipe fit {   lr 0.1,epochs 2 }\n+  seed 0\n+  recipe fit { lr 0.1, epochs 2 }\n',
  );
  assert.not.match(result.stdout, 'good.study');
  assert.match(result.stderr, '1 of 2 files not formatted');
  assert.is(readFileSync(bad, 'utf8'), messy);
});

test('--write rewrites only the files that change', () => {
  const good = file('good.study', tidy);
  const bad = file('bad.study', messy);
  const untouched = statSync(good).mtimeMs;
  const result = runCli(['fmt', '--write', good, bad]);
  assert.is(result.status, 0, result.stderr);
  assert.is(readFileSync(bad, 'utf8'), tidy);
  assert.is(readFileSync(good, 'utf8'), tidy);
  assert.is(statSync(good).mtimeMs, untouched);
  assert.is(result.stdout, `formatted ${bad}\n`);
  assert.is(runCli(['fmt', '--check', bad]).status, 0);
});

test('--json reports one outcome per file', () => {
  const result = runCli(['fmt', '--check', '--json', file('good.study', tidy), file('bad.study', messy)]);
  assert.is(result.status, 1);
  const outcomes = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line).outcome);
  assert.equal(outcomes, ['unchanged', 'changed']);
});

test('a file with syntax errors is reported with file:line:col, left alone, and exits 1', () => {
  const path = file('broken.study', broken);
  for (const mode of [[], ['--check'], ['--write']]) {
    const result = runCli(['fmt', ...mode, path]);
    assert.is(result.status, 1, `mode ${mode.join(' ')}`);
    assert.match(result.stderr, new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error S\\d+: `));
    assert.not.match(result.stderr, /\n\s+at /);
    assert.is(result.stdout, '');
    assert.is(readFileSync(path, 'utf8'), broken);
  }
});

test('a missing file is a one-line usage error with exit 2', () => {
  const result = runCli(['fmt', '--check', join(dir, 'missing.study')]);
  assert.is(result.status, 2);
  assert.is(result.stderr.trim().split('\n').length, 1);
  // The message every command gives (cli/study-loader.ts).
  assert.match(result.stderr, /^shiftlab: cannot read .*missing\.study: ENOENT\n$/);
});

test('bad combinations of flags and files are usage errors (exit 2)', () => {
  const path = file('a.study', tidy);
  assert.is(runCli(['fmt', '--check', '--write', path]).status, 2);
  assert.is(runCli(['fmt', path, path]).status, 2);
  assert.is(runCli(['fmt']).status, 2);
});

test('--help describes the command', () => {
  const result = runCli(['fmt', '--help']);
  assert.is(result.status, 0);
  assert.match(result.stdout, 'Usage: shiftlab fmt');
  assert.match(result.stdout, '--check');
  assert.match(result.stdout, '--write');
});

test.run();
