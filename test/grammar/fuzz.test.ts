// Bad input never escapes as an exception: the example studies are mutated (tokens deleted, inserted,
// swapped; truncated; random characters; very deep nesting; a 1 MB file) and every case must parse, and
// check, to problems whose spans lie inside the file. Seeded, so a failure names a reproducible case.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkSource } from '../../compiler/check/index.ts';
import { parse, visit, type Span } from '../../grammar/index.ts';
import { Random } from '../../runtime/random.ts';

const examples = join(import.meta.dirname, '../../examples');
const corpus = readdirSync(examples)
  .filter((name) => name.endsWith('.study'))
  .sort()
  .map((name) => readFileSync(join(examples, name), 'utf8'));

/** Pieces a study is cut into for token-level mutations: words, numbers, strings, comments, punctuation, space. */
const piecePattern = /\s+|[A-Za-z_][A-Za-z0-9_]*|\d[\d.eE%]*|"[^"\n]*"|\/\/[^\n]*|\/\*|\*\/|->|\.\.|[<>=]=|[^\s]/g;
const vocabulary = [
  'study',
  'data',
  'distribution',
  'shift',
  'model',
  'recipe',
  'pretrain',
  'baseline',
  'arm',
  'compare',
  'split',
  'expect',
  'step',
  'by',
  'accuracy',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ',',
  ':',
  '|',
  '->',
  '=',
  '==',
  '..',
  '.',
  '-',
  '+',
  '>',
  '<=',
  '"',
  '"\\',
  '\\u{',
  '/*',
  '*/',
  '//',
  '\n',
  '\r',
  '\t',
  '0',
  '-1',
  '1e999',
  '95%',
  '3e-4',
  'x',
  '\u0000',
  '€',
  '😀',
  '\ud800',
  // Families (examples/spurious_sweep.study is in the corpus): indices, member indices, `*`, `in`.
  'in',
  '*',
  '[p]',
  '[*]',
  '[p in [0.5, 0.9]]',
  '[p, q in []]',
  '[0.5, *]',
  'p',
  '[p in [p]]',
  '[q]',
  // Grids and metric calls in `expect` (examples/complementary.study is in the corpus): calls, `by [..]`, parts.
  '[p in [0.5, 0.9], s in [1, 2]]',
  '[p, *]',
  'worst_group_accuracy(',
  'abs(',
  'max(',
  'by [label, tint]',
  'parts.in_support',
  'accuracy(ft, parts.in_support)',
];

function mutate(random: Random, source: string): string {
  const pieces = source.match(piecePattern) ?? [];
  const pick = <T>(items: T[]): T => items[random.int(items.length)]!;
  const edits = 1 + random.int(4);
  for (let i = 0; i < edits && pieces.length > 0; i++) {
    const at = random.int(pieces.length);
    switch (random.int(4)) {
      case 0:
        pieces.splice(at, 1);
        break;
      case 1:
        pieces.splice(at, 0, pick(vocabulary));
        break;
      case 2: {
        const other = random.int(pieces.length);
        [pieces[at], pieces[other]] = [pieces[other]!, pieces[at]!];
        break;
      }
      default:
        pieces.splice(at, 0, pieces[random.int(pieces.length)]!);
    }
  }
  return pieces.join('');
}

function randomCharacters(random: Random, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) {
    text += random.chance(0.7) ? String.fromCharCode(32 + random.int(95)) : String.fromCharCode(random.int(0x3000));
  }
  return text;
}

function cases(): { name: string; source: string }[] {
  const random = new Random(20261128);
  const all: { name: string; source: string }[] = [];
  corpus.forEach((source, index) => {
    for (let i = 0; i < 100; i++) all.push({ name: `mutation ${index}.${i}`, source: mutate(random, source) });
    for (let i = 0; i < 20; i++)
      all.push({ name: `truncation ${index}.${i}`, source: source.slice(0, random.int(source.length)) });
    for (let i = 0; i < 15; i++) {
      const at = random.int(source.length);
      all.push({
        name: `random bytes ${index}.${i}`,
        source: source.slice(0, at) + randomCharacters(random, 1 + random.int(20)) + source.slice(at),
      });
    }
  });
  for (let i = 0; i < 20; i++) all.push({ name: `noise ${i}`, source: randomCharacters(random, random.int(400)) });
  const deep = 5000;
  all.push(
    { name: 'deep [', source: `study s { x ${'['.repeat(deep)} }` },
    { name: 'deep [ closed', source: `study s { x ${'['.repeat(deep)}${']'.repeat(deep)} }` },
    { name: 'deep {', source: `study s { ${'a {'.repeat(deep)} }` },
    { name: 'deep (', source: `study s { expect ${'('.repeat(deep)}1${')'.repeat(deep)} > 0 }` },
    { name: 'deep unary minus', source: `study s { expect ${'-'.repeat(deep)}1 > 0 }` },
    { name: 'long chain', source: `study s { distribution d = x${' | vflip'.repeat(deep)} }` },
    { name: 'long path', source: `study s { expect a${'.b'.repeat(deep)} > 0 }` },
    { name: 'many studies', source: 'study s {'.repeat(deep) },
    { name: 'long sum', source: `study s { expect 1${' + 1'.repeat(deep)} > 0 }` },
  );
  const body = corpus[0]!.slice(corpus[0]!.indexOf('{') + 1, corpus[0]!.lastIndexOf('}'));
  all.push({ name: '1 MB study', source: `study big {\n${body.repeat(Math.ceil(1_000_000 / body.length))}}\n` });
  return all;
}

function assertInside(span: Span, length: number, what: string): void {
  const { start, end, line, column, endLine, endColumn } = span;
  assert.ok(
    Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= length,
    `${what}: offsets ${start}..${end} of ${length}`,
  );
  for (const n of [line, column, endLine, endColumn])
    assert.ok(Number.isInteger(n) && n >= 1, `${what}: line/column ${n}`);
}

const all = cases();

test(`fuzz: ${all.length} mutated studies parse and check without exceptions, every span inside the file`, () => {
  for (const { name, source } of all) {
    let result;
    try {
      result = parse(source, 'fuzz.study');
    } catch (error) {
      assert.unreachable(`${name}: parse threw ${(error as Error).stack}`);
      return;
    }
    for (const problem of result.problems)
      assertInside(problem.span, source.length, `${name}: problem "${problem.message}"`);
    visit(result.document, { enter: (node) => assertInside(node.span, source.length, `${name}: ${node.kind} node`) });
    for (const comment of result.document.comments) assertInside(comment.span, source.length, `${name}: comment`);

    let checked;
    try {
      checked = checkSource(source, 'fuzz.study');
    } catch (error) {
      assert.unreachable(`${name}: checkSource threw ${(error as Error).stack}`);
      return;
    }
    for (const diagnostic of checked.diagnostics) {
      assert.match(diagnostic.code, /^S\d{4}$/, `${name}: code ${diagnostic.code}`);
      assertInside(diagnostic.span, source.length, `${name}: diagnostic ${diagnostic.code} "${diagnostic.message}"`);
    }
  }
});

test.run();
