// The language server in an editor this project did not write: Neovim's own LSP client (Debian's neovim,
// installed by .ci/run), headless. test/lsp/neovim.lua opens a broken study, waits for diagnostics, asks for
// hover (on a builtin, a name and a family member), definition, completion and formatting, and writes what
// Neovim received as JSON; this test checks it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkSource } from '../../compiler/check/index.ts';
import { recipeAttributes } from '../../compiler/check/builtins.ts';
import { format } from '../../compiler/format/index.ts';
import { parse } from '../../grammar/index.ts';
import { repoRoot } from '../helpers/cli.ts';

const hasNeovim = spawnSync('nvim', ['--version']).status === 0;
const fixture = join(repoRoot, 'test/lsp/fixtures/neovim.study');

interface Received {
  errors: string[];
  diagnostics: { code: string; message: string; lnum: number; col: number; severity: number; source: string }[];
  hover: { contents: { value: string } };
  hover_name: { contents: { value: string } };
  hover_member: { contents: { value: string } };
  definition: { uri: string; range: { start: { line: number; character: number } } };
  completion: { label: string; documentation?: { value: string } }[];
  formatting: unknown[];
  formatted: string;
}

if (!hasNeovim && process.env.CI !== 'true') {
  console.log(
    'SKIP test/lsp/neovim.test.ts: nvim is not installed (apt-get install neovim; CI installs it and runs this test)',
  );
} else {
  test("Neovim's LSP client gets diagnostics, hover, definition, completion and formatting from shiftlab lsp", () => {
    const dir = mkdtempSync(join(tmpdir(), 'lsp-neovim-'));
    const study = join(dir, 'neovim.study');
    copyFileSync(fixture, study);
    const out = join(dir, 'received.json');
    const run = spawnSync(
      'nvim',
      ['--headless', '--clean', '-n', '-i', 'NONE', '-c', `luafile ${join(repoRoot, 'test/lsp/neovim.lua')}`],
      {
        env: { ...process.env, SHIFTLAB_ROOT: repoRoot, STUDY: study, OUT: out },
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    assert.is(run.status, 0, `nvim exited ${run.status}: ${run.stderr}`);
    const received = JSON.parse(readFileSync(out, 'utf8')) as Received;
    rmSync(dir, { recursive: true });
    const source = readFileSync(fixture, 'utf8');

    assert.equal(received.errors, []);
    const expected = checkSource(source, study).diagnostics;
    assert.equal(
      received.diagnostics.map((d) => [d.code, d.lnum + 1, d.col + 1]),
      expected.map((d) => [d.code, d.span.line, d.span.column]),
    );
    assert.ok(
      received.diagnostics.some(
        (d) => d.code === 'S1001' && d.message.includes("did you mean 'reference'?") && d.source === 'shiftlab',
      ),
    );

    assert.match(received.hover.contents.value, 'transform tint');
    assert.match(received.hover_name.contents.value, 'model cnn');
    // A family member: the server names it as the checker expands the family.
    assert.match(
      received.hover_member.contents.value,
      'the member tinted[0.9] of the family `tinted[p in [0.5, 0.9]]`',
    );
    const recipeLine = source.split('\n').findIndex((line) => line.startsWith('  recipe fit'));
    assert.is(received.definition.range.start.line, recipeLine);

    // Inside `recipe fit { epochs 1 }`: every recipe attribute but the one already there.
    const labels = received.completion.map((item) => item.label).sort();
    assert.equal(
      labels,
      Object.keys(recipeAttributes)
        .filter((name) => name !== 'epochs')
        .sort(),
    );

    assert.is(received.formatting.length, 1);
    assert.is(received.formatted, format(parse(source, study).document));
    assert.is.not(received.formatted, source);
  });
}

test.run();
