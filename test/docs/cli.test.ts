import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commands } from '../../cli/commands/index.ts';
import { cliHeading, commandHelp, documentedHelp, syncCliDoc } from '../../docs/cli-help.ts';
import { REGENERATE } from '../../docs/generate.ts';
import { sectionBody } from '../../docs/markdown.ts';
import { runCli } from '../helpers/cli.ts';

const cliDoc = () => readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
const help = commandHelp();

test('every registered command is rendered, each with a description and --help', () => {
  assert.is(help.size, commands.length);
  for (const [name, text] of help) {
    assert.ok(text.startsWith(`Usage: shiftlab ${name} `), name);
    assert.ok(/^Usage: .*\n\n\S/.test(text), `${name} has no description`);
    assert.match(text, '-h, --help', name);
  }
});

test('docs/cli.md: every command has a section whose usage block is its current --help', () => {
  const doc = cliDoc();
  const stale = [...help].filter(([name, text]) => documentedHelp(doc, name) !== text).map(([name]) => name);
  if (stale.length) assert.unreachable(`docs/cli.md is out of date for: ${stale.join(', ')}; run \`${REGENERATE}\``);
  assert.is(syncCliDoc(doc, help), doc);
});

test('docs/cli.md: every command section documents its exit codes', () => {
  const doc = cliDoc();
  for (const name of help.keys()) assert.match(sectionBody(doc, cliHeading(name)) ?? '', /Exit codes/, name);
});

test('the in-process help is what the binary prints (fmt: arguments, options and text after them)', () => {
  const result = runCli(['fmt', '--help']);
  assert.is(result.status, 0);
  assert.is(result.stdout.trimEnd(), help.get('fmt'));
});

test('syncCliDoc replaces a stale block, adds a missing one, keeps the prose, and adds a missing section', () => {
  const usage = (name: string) => `Usage: shiftlab ${name} [options]\n\nnew help`;
  const fresh = new Map([
    ['a', usage('a')],
    ['b', usage('b')],
    ['c', usage('c')],
  ]);
  const doc = [
    '# CLI',
    '',
    '## `shiftlab a`',
    '',
    '```',
    'Usage: shiftlab a [options]',
    '',
    'old help',
    '```',
    '',
    'Prose about a.',
    '',
    '## `shiftlab b`',
    '',
    '```',
    'shiftlab b FILE',
    '```',
    '',
    'Prose about b.',
    '',
  ].join('\n');
  const synced = syncCliDoc(doc, fresh);
  for (const name of ['a', 'b', 'c']) assert.is(documentedHelp(synced, name), usage(name));
  assert.match(synced, 'Prose about a.');
  assert.match(synced, '```\nshiftlab b FILE\n```\n\nProse about b.');
  assert.not.match(synced, 'old help');
  assert.is(syncCliDoc(synced, fresh), synced);
});

test.run();
