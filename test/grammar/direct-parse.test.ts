// parseTokens parses every file without recovery first and falls back to the recovering parser on a syntax error;
// that is only sound if both build the same tree (spans included) from a file that parses. Checked on every study
// in the repository, and on files with errors: the fallback must report exactly what the recovering parser does.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { layout } from '../../grammar/layout.ts';
import { tokenize } from '../../grammar/lexer.ts';
import { parseTokens, StudyParser } from '../../grammar/parser.ts';
import { LineIndex } from '../../grammar/span.ts';

const root = join(import.meta.dirname, '../..');
const studies = ['examples', 'studies'].flatMap((folder) =>
  readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.study'))
    .map((name) => join(folder, name)),
);

function parseWith(parser: StudyParser, source: string) {
  const lines = new LineIndex(source, 'f.study');
  const study = parser.parseTokens(layout(tokenize(source).tokens).tokens, lines);
  return {
    study,
    errors: parser.errors.map((error) => [error.message, error.token.startOffset]),
    skipped: parser.skipped,
    problems: parser.problems,
  };
}

function viaParseTokens(source: string) {
  const parsed = parseTokens(layout(tokenize(source).tokens).tokens, new LineIndex(source, 'f.study'));
  return { ...parsed, errors: parsed.errors.map((error) => [error.message, error.token.startOffset]) };
}

const recovering = new StudyParser();
const direct = new StudyParser({ recover: false });

test('the repository has studies to compare on', () => {
  assert.ok(studies.length >= 10, studies.join(', '));
});

test('a study that parses gives the same tree with and without recovery', () => {
  for (const file of studies) {
    const source = readFileSync(join(root, file), 'utf8');
    const withRecovery = parseWith(recovering, source);
    assert.equal(withRecovery.errors, [], file);
    assert.equal(parseWith(direct, source), withRecovery, file);
  }
  // Text skipped at the end of a line is no syntax error: the direct parse's result stands.
  const skipping = 'study s {\n  seed 0 )\n  recipe r { lr = 3, epochs 2 }\n}';
  assert.equal(parseWith(direct, skipping), parseWith(recovering, skipping));
  assert.is(viaParseTokens(skipping).skipped.length, 2);
});

test('a file with syntax errors gets the tree and errors of the recovering parser', () => {
  const broken = [
    'study s {\n  recipe r { lr 1\n  arm a { init b }\n  expect x > 1\n}',
    'study s {\n  data d =\n  model m = mlp { hidden [] }\n}',
    'study a {}\nstudy b {}',
    'study s {\n  shift x in_support = a -> b\n}',
    'study s { arm a { lr 1..2 step } }',
  ];
  for (const source of broken) {
    const expected = parseWith(recovering, source);
    assert.ok(expected.errors.length > 0, source);
    assert.equal(viaParseTokens(source), expected, source);
  }
});

test.run();
