import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderDiagnostic } from '../../compiler/diagnostics/index.ts';
import { runCli } from '../helpers/cli.ts';
import { check, study } from './helpers.ts';

const broken = study('').replace('spurious 0.8', 'spurius 0.8');

test('human rendering: location, code, source line, caret under the span, hint', () => {
  const [diagnostic] = check(broken).diagnostics;
  const lines = broken.split('\n');
  const lineNo = lines.findIndex((l) => l.includes('spurius')) + 1;
  const column = lines[lineNo - 1]!.indexOf('spurius') + 1;
  const expected = [
    `test.study:${lineNo}:${column}: error S2001: unknown attribute 'spurius' for transform 'tint'`,
    `  ${lines[lineNo - 1]}`,
    `  ${' '.repeat(column - 1)}^~~~~~~`,
    `  hint: did you mean 'spurious'?`,
  ].join('\n');
  assert.is(renderDiagnostic(diagnostic!, broken), expected);
});

const dir = mkdtempSync(join(tmpdir(), 'shiftlab-check-'));
const brokenFile = join(dir, 'broken.study');
writeFileSync(brokenFile, broken);
const warnFile = join(dir, 'warn.study');
writeFileSync(warnFile, study('recipe spare { epochs 2 }'));

test('cli: examples exit 0', () => {
  const result = runCli(['check', 'examples/tint_and_flip.study', 'examples/subspace.study']);
  assert.is(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, 'examples/tint_and_flip.study: 0 errors');
});

test('cli: warnings alone exit 0, errors exit 1', () => {
  assert.is(runCli(['check', warnFile]).status, 0);
  const result = runCli(['check', brokenFile]);
  assert.is(result.status, 1);
  assert.match(result.stdout, /broken\.study:\d+:\d+: error S2001/);
});

test('cli: --format json', () => {
  const result = runCli(['check', '--format', 'json', brokenFile]);
  assert.is(result.status, 1);
  const [report] = JSON.parse(result.stdout) as {
    file: string;
    errors: number;
    diagnostics: { code: string; span: { line: number } }[];
  }[];
  assert.is(report!.errors, 1);
  assert.is(report!.diagnostics[0]!.code, 'S2001');
  assert.ok(report!.diagnostics[0]!.span.line > 1);
});

test('cli: missing file and bad flags exit 2 with one line', () => {
  const missing = runCli(['check', join(dir, 'nope.study')]);
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /^shiftlab: cannot read .*nope\.study: ENOENT\n$/);
  assert.is(runCli(['check', '--format', 'xml', warnFile]).status, 2);
  assert.is(runCli(['check', '--bogus', warnFile]).status, 2);
});

test.run();
