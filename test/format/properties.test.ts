// Properties over every .study file in the repo and every golden input: the formatter's output parses,
// means the same (AST equal, spans aside), keeps every comment, and is a fixed point.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { format } from '../../compiler/format/index.ts';
import type { Document } from '../../grammar/ast.ts';
import { astEqual, parse, stripSpans } from '../../grammar/index.ts';
import { Minus, Newline, tokenize } from '../../grammar/lexer.ts';
import { Random, deriveSeed } from '../../runtime/random.ts';
import { repoRoot } from '../helpers/cli.ts';
import { goldenCases, goldenDir, studyFiles } from './studies.ts';

/** Comment texts as a sorted multiset; a line comment may lose trailing spaces. */
function commentTexts(document: Document): string[] {
  return document.comments
    .map((c) => document.source.slice(c.span.start, c.span.end))
    .map((text) => (text.startsWith('//') ? text.trimEnd() : text))
    .sort();
}

const inputs = [
  ...studyFiles().map((path) => ({ name: relative(repoRoot, path), source: readFileSync(path, 'utf8') })),
  ...goldenCases().map((name) => ({
    name: `golden/${name}.input`,
    source: readFileSync(join(goldenDir, `${name}.input`), 'utf8'),
  })),
];
const parseable = inputs.filter((input) => parse(input.source, input.name).problems.length === 0);

test(`${parseable.length} of ${inputs.length} .study inputs parse cleanly and are checked below`, () => {
  const unparsed = inputs.filter((input) => !parseable.includes(input)).map((input) => input.name);
  assert.equal(
    unparsed.filter((name) => name.startsWith('golden/')),
    [],
    'every golden input parses',
  );
});

for (const { name, source } of parseable) {
  test(`${name}: formatting keeps the meaning and every comment, and is idempotent`, () => {
    const before = parse(source, name).document;
    const once = format(before);
    const reparsed = parse(once, name);
    assert.equal(
      reparsed.problems.map((p) => p.message),
      [],
      'the output parses',
    );
    assert.equal(stripSpans(reparsed.document.study), stripSpans(before.study), 'AST equal, spans aside');
    assert.ok(astEqual(reparsed.document.study, before.study));
    assert.equal(commentTexts(reparsed.document), commentTexts(before), 'every comment kept');
    assert.fixture(format(reparsed.document), once, 'format(format(x)) == format(x)');
  });
}

// The repo's own studies are kept in canonical layout (what `shiftlab fmt --check examples studies` checks in CI).
for (const { name, source } of parseable.filter((input) => /^(examples|studies)\//.test(input.name))) {
  test(`${name} is formatted (shiftlab fmt --write ${name} fixes it)`, () => {
    assert.fixture(format(parse(source, name).document), source);
  });
}

/** `source` with random runs of spaces and tabs before tokens: the same study, differently spaced. */
function respaced(source: string, random: Random): string {
  const { tokens, comments } = tokenize(source);
  // Not between `-` and its number: a signed number's spelling is one literal.
  const afterMinus = new Set(tokens.filter((t) => t.tokenType === Minus).map((t) => t.startOffset + 1));
  const starts = [...tokens, ...comments]
    .map((t) => t.startOffset)
    .filter((offset) => !afterMinus.has(offset) && random.chance(0.5))
    .sort((a, b) => b - a);
  let text = source;
  for (const at of starts) text = text.slice(0, at) + ' \t  '.slice(0, 1 + random.int(3)) + text.slice(at);
  return text;
}

/**
 * `source` with comments added where they cannot change its meaning: a block comment before a token, `// cN` at
 * the end of a line, or `// cN` on a line of its own after a line break (runs of line breaks count as one).
 */
function commented(source: string, random: Random): string {
  const { tokens } = tokenize(source);
  const afterMinus = new Set(tokens.filter((t) => t.tokenType === Minus).map((t) => t.startOffset + 1));
  const insertions: [number, (n: number) => string][] = [];
  for (const token of tokens) {
    if (!random.chance(0.2)) continue;
    if (token.tokenType !== Newline) {
      if (!afterMinus.has(token.startOffset)) insertions.push([token.startOffset, (n) => `/* c${n} */ `]);
    } else if (random.chance(0.5)) insertions.push([token.startOffset, (n) => ` // c${n}`]);
    else insertions.push([token.startOffset + token.image.length, (n) => `// c${n}\n`]);
  }
  let text = source;
  insertions
    .sort((a, b) => b[0] - a[0])
    .forEach(([at, comment], n) => {
      text = text.slice(0, at) + comment(n) + text.slice(at);
    });
  return text;
}

for (const { name, source } of parseable) {
  test(`${name}: comments added anywhere are all kept, in a fixed point`, () => {
    const random = new Random(deriveSeed(0, 'comment', name));
    const original = stripSpans(parse(source, name).document.study);
    for (let i = 0; i < 6; i++) {
      const before = parse(commented(source, random), name);
      assert.equal(
        before.problems.map((p) => p.message),
        [],
        `variant ${i} parses`,
      );
      assert.equal(stripSpans(before.document.study), original, `variant ${i} means the same as the original`);
      const once = format(before.document);
      const after = parse(once, name);
      assert.equal(
        after.problems.map((p) => p.message),
        [],
        `the output of variant ${i} parses`,
      );
      assert.equal(stripSpans(after.document.study), original, `variant ${i} keeps its meaning`);
      assert.equal(commentTexts(after.document), commentTexts(before.document), `variant ${i} keeps every comment`);
      assert.fixture(format(after.document), once, `variant ${i} is a fixed point`);
    }
  });

  test(`${name}: \\r\\n line ends give the same output as \\n`, () => {
    const expected = format(parse(source, name).document);
    assert.fixture(format(parse(source.replace(/\n/g, '\r\n'), name).document), expected);
  });

  test(`${name}: spaces between tokens never change the output`, () => {
    const expected = format(parse(source, name).document);
    const random = new Random(deriveSeed(0, 'respace', name));
    for (let i = 0; i < 3; i++) {
      const variant = respaced(source, random);
      const { document, problems } = parse(variant, name);
      assert.equal(
        problems.map((p) => p.message),
        [],
        'the respaced text parses',
      );
      assert.fixture(format(document), expected);
    }
  });
}

test.run();
