import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';

test('--help lists the program and exits 0', () => {
  const result = runCli(['--help']);
  assert.is(result.status, 0);
  assert.match(result.stdout, 'Usage: shiftlab');
});

test('an unknown flag is bad usage: exit 2, one line, no stack trace', () => {
  const result = runCli(['--no-such-flag']);
  assert.is(result.status, 2);
  assert.match(result.stderr, "unknown option '--no-such-flag'");
  assert.not.match(result.stderr, /\n\s+at /);
});

test.run();
