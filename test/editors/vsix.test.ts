// The VS Code extension: its manifest points at the grammar and language configuration that exist, and
// `vsce package` builds a .vsix holding the grammar, the language configuration and the bundled client.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GRAMMAR_FILE } from '../../editors/vscode/scripts/generate-grammar.ts';
import { BlockComment, LineComment } from '../../grammar/lexer.ts';

const root = join(import.meta.dirname, '../..');
const extension = join(root, 'editors/vscode');
const manifest = JSON.parse(readFileSync(join(extension, 'package.json'), 'utf8'));

/** The entries of a zip file (the .vsix format), read from its central directory. */
function readZip(file: string): Map<string, Buffer> {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, `${file} is not a zip`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    assert.is(zip.readUInt32LE(at), 0x02014b50, 'central directory entry');
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(data, data + size);
    entries.set(name, method === 8 ? inflateRawSync(raw) : Buffer.from(raw));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

test('the manifest contributes the study language, its configuration and the grammar file', () => {
  const [language] = manifest.contributes.languages;
  assert.equal(language.extensions, ['.study']);
  const [grammar] = manifest.contributes.grammars;
  assert.is(grammar.language, language.id);
  assert.is(join(extension, grammar.path), GRAMMAR_FILE);
  assert.is(grammar.scopeName, JSON.parse(readFileSync(GRAMMAR_FILE, 'utf8')).scopeName);
  assert.ok(existsSync(join(extension, language.configuration)));
  assert.is(manifest.contributes.configuration.properties['shiftlab.serverPath'].type, 'string');
});

test("the language configuration's comments and brackets are the lexer's", () => {
  const configuration = JSON.parse(readFileSync(join(extension, 'language-configuration.json'), 'utf8'));
  assert.ok((LineComment.PATTERN as RegExp).test(`${configuration.comments.lineComment} x`));
  const [open, close] = configuration.comments.blockComment;
  assert.is((BlockComment.PATTERN as RegExp).exec(`${open} x ${close}`)?.[0], `${open} x ${close}`);
  assert.equal(configuration.brackets, [
    ['{', '}'],
    ['[', ']'],
    ['(', ')'],
  ]);
  // Indentation follows the braces the formatter indents by.
  const increase = new RegExp(configuration.indentationRules.increaseIndentPattern);
  assert.ok(increase.test('  arm ft {'));
  assert.not.ok(increase.test('  arm ft { strategy ft }'));
  assert.not.ok(increase.test('  // a comment {'));
  assert.ok(new RegExp(configuration.indentationRules.decreaseIndentPattern).test('  }'));
});

test('vsce packages a .vsix with the grammar, the language configuration and the bundled client', () => {
  assert.ok(
    existsSync(join(extension, 'node_modules/vscode-languageclient/package.json')),
    'the extension has its own dependencies: run npm ci --prefix editors/vscode',
  );
  const out = join(mkdtempSync(join(tmpdir(), 'shiftlab-vsix-')), 'shiftlab-study.vsix');
  const vsce = join(root, 'node_modules/.bin/vsce');
  const result = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--out', out], {
    cwd: extension,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 240_000,
  });
  assert.is(result.status, 0, `${result.stdout}\n${result.stderr}`);
  const entries = readZip(out);
  assert.equal(entries.get('extension/syntaxes/study.tmLanguage.json'), readFileSync(GRAMMAR_FILE));
  assert.equal(
    entries.get('extension/language-configuration.json'),
    readFileSync(join(extension, 'language-configuration.json')),
  );
  const packaged = JSON.parse(entries.get('extension/package.json')!.toString('utf8'));
  assert.equal(packaged.contributes, manifest.contributes);
  const client = entries.get(`extension/${manifest.main.replace(/^\.\//, '')}`)?.toString('utf8');
  assert.ok(client, `the client ${manifest.main} is in the package`);
  // The bundle carries the language client and starts `shiftlab lsp`.
  assert.match(client, 'serverPath');
  assert.match(client, /"lsp"/);
  assert.match(client, /Content-Length/, 'vscode-languageclient is bundled');
  const names = [...entries.keys()];
  assert.ok(
    !names.some((name) => name.includes('node_modules/') || name.includes('/src/') || name.endsWith('.ts')),
    names.join(', '),
  );
});

test.run();
