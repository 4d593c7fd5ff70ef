// The TextMate grammar: generated from the language's tables without drift, in agreement with the checker
// about every builtin and name in every study, golden tokenisation of every study, and the cases a regex
// grammar most easily gets wrong.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bind } from '../../compiler/check/binder.ts';
import { transforms } from '../../compiler/check/builtins.ts';
import { indexStudy } from '../../compiler/check/sites.ts';
import { builtinNames, GRAMMAR_FILE, grammarText, REGENERATE } from '../../editors/vscode/scripts/generate-grammar.ts';
import { parse } from '../../grammar/index.ts';
import type { Span } from '../../grammar/ast.ts';
import { TRANSFORMS } from '../../runtime/data/transforms/index.ts';
import { renderTokens, tokenizeStudy, type Token } from './tokenize.ts';

const root = join(import.meta.dirname, '../..');
const goldenDir = join(import.meta.dirname, 'golden');
const names = builtinNames();
const studyFiles = ['examples', 'studies'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((name) => name.endsWith('.study'))
    .sort()
    .map((name) => `${dir}/${name}`),
);

/** The token covering a 1-based line and column. */
function tokenAt(tokens: Token[], line: number, column: number): Token | undefined {
  return tokens.find((t) => t.line === line && t.column <= column && column < t.column + t.text.length);
}
function scopesAt(tokens: Token[], span: Span): string[] {
  return tokenAt(tokens, span.line, span.column)?.scopes ?? [];
}
/** The scopes of the first token whose text is `text` (after `after` tokens with that text). */
function scopesOf(tokens: Token[], text: string, after = 0): string[] {
  const found = tokens.filter((t) => t.text === text)[after];
  assert.ok(found, `no token ${JSON.stringify(text)} in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return found.scopes;
}
const hasScope = (scopes: string[], prefix: string) => scopes.some((scope) => scope.startsWith(prefix));

test('the committed grammar is what the generator builds from the tables', () => {
  assert.ok(readFileSync(GRAMMAR_FILE, 'utf8') === grammarText(), `study.tmLanguage.json is stale: run ${REGENERATE}`);
});

test("the checker's transforms are the runtime's transforms", () => {
  assert.equal(Object.keys(transforms).sort(), Object.keys(TRANSFORMS).sort());
});

test('every builtin of every table is scoped where it is used', async () => {
  for (const kind of names.transforms) {
    const scopes = scopesOf(await tokenizeStudy(`study s {\n  distribution d = x | ${kind}\n}`), kind);
    assert.ok(scopes.includes('support.function.transform.study'), `transform ${kind}: ${scopes}`);
  }
  for (const kind of names.sources) {
    const scopes = scopesOf(await tokenizeStudy(`study s {\n  data d = ${kind} { }\n}`), kind);
    assert.ok(scopes.includes('support.class.source.study'), `source ${kind}: ${scopes}`);
  }
  for (const kind of names.architectures) {
    const scopes = scopesOf(await tokenizeStudy(`study s {\n  model m = ${kind} { }\n}`), kind);
    assert.ok(scopes.includes('support.class.architecture.study'), `architecture ${kind}: ${scopes}`);
  }
  for (const [attribute, values] of names.enums) {
    for (const value of values) {
      const scopes = scopesOf(await tokenizeStudy(`study s {\n  arm a {\n    ${attribute} ${value}\n  }\n}`), value);
      assert.ok(hasScope(scopes, 'constant.language.'), `${attribute} ${value}: ${scopes}`);
    }
  }
  for (const kind of names.shiftKinds) {
    const scopes = scopesOf(await tokenizeStudy(`study s {\n  shift f: ${kind} = a -> b\n}`), kind);
    assert.ok(scopes.includes('constant.language.shift-kind.study'), `shift kind ${kind}: ${scopes}`);
  }
  // Every keyword of the lexer is one the grammar scopes: a declaration keyword, `study` or `expect`.
  assert.equal([...names.keywords].sort(), [...names.declarationKeywords, 'study', 'expect'].sort());
  for (const keyword of names.declarationKeywords) {
    const tokens = await tokenizeStudy(`study s {\n  ${keyword} thing {\n  }\n}`);
    assert.ok(scopesOf(tokens, keyword).includes(`storage.type.${keyword}.study`), keyword);
    assert.ok(scopesOf(tokens, 'thing').includes(`entity.name.type.${keyword}.study`), keyword);
  }
});

// The checker's index lists every builtin a study uses, with the names that family knows; the grammar must
// agree on each use and know every name the checker knows.
const families: Record<string, { scope: string; names?: readonly string[] }> = {
  'data source': { scope: 'support.class.source.study', names: names.sources },
  architecture: { scope: 'support.class.architecture.study', names: names.architectures },
  transform: { scope: 'support.function.transform.study', names: names.transforms },
  'shift kind': { scope: 'constant.language.shift-kind.study', names: names.shiftKinds },
  // Every call is a builtin function; the grammar scopes calls without a list.
  'split function': { scope: 'support.function.builtin.study' },
};

for (const file of studyFiles) {
  test(`${file}: the grammar scopes every name and builtin the checker sees`, async () => {
    const source = readFileSync(join(root, file), 'utf8');
    const { document, problems } = parse(source, file);
    assert.equal(problems, []);
    const bound = bind(document, document.study!);
    const index = indexStudy(bound);
    const tokens = await tokenizeStudy(source);
    assert.ok(index.builtins.length > 0);
    for (const use of index.builtins) {
      const family = families[use.family];
      assert.ok(family, `a builtin family the grammar test does not know: ${use.family}`);
      const scopes = scopesAt(tokens, use.name.span);
      assert.ok(
        scopes.includes(family.scope),
        `${file}:${use.name.span.line}:${use.name.span.column} ${use.family} ${use.name.name}: ${scopes}`,
      );
      for (const known of family.names ? use.known : [])
        assert.ok(family.names!.includes(known), `${use.family} ${known} is missing from the grammar`);
    }
    for (const binding of bound.declarations) {
      assert.ok(
        scopesAt(tokens, binding.nameSpan).includes(`entity.name.type.${binding.kind}.study`),
        `${file}: ${binding.kind} ${binding.name}`,
      );
    }
    for (const application of index.applications) {
      for (const attribute of application.attributes) {
        const scopes = scopesAt(tokens, attribute.name.span);
        assert.ok(
          scopes.includes('entity.other.attribute-name.study'),
          `${file}:${attribute.name.span.line} attribute ${attribute.name.name}: ${scopes}`,
        );
        if (application.table[attribute.name.name]?.type.type === 'enum' && attribute.values[0]) {
          const value = scopesAt(tokens, attribute.values[0].span);
          assert.ok(
            hasScope(value, 'constant.language.'),
            `${file}:${attribute.name.span.line} ${attribute.name.name} value: ${value}`,
          );
        }
      }
    }
  });

  test(`${file}: golden tokenisation`, async () => {
    const rendered = renderTokens(await tokenizeStudy(readFileSync(join(root, file), 'utf8')));
    const golden = join(goldenDir, `${file.replace('/', '-')}.tokens`);
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(goldenDir, { recursive: true });
      writeFileSync(golden, rendered);
    }
    assert.ok(existsSync(golden), `no golden for ${file}: run UPDATE_GOLDEN=1 npm test -- test/editors`);
    assert.fixture(rendered, readFileSync(golden, 'utf8'));
  });
}

test('every golden belongs to a study that exists', () => {
  const expected = studyFiles.map((file) => `${file.replace('/', '-')}.tokens`);
  assert.equal(readdirSync(goldenDir).sort(), expected.sort());
});

test('a comment holding keywords, strings and numbers is one comment', async () => {
  const tokens = await tokenizeStudy(
    'study s {\n  // arm x { model "m" } 95%\n  /* data d = mnist\n     expect 1 > 0 */\n}',
  );
  for (const token of tokens.filter((t) => t.line === 2 || t.line === 3 || t.line === 4)) {
    if (token.text.trim() === '') continue;
    assert.ok(
      token.scopes.some((s) => s.startsWith('comment.')),
      `${token.text}: ${token.scopes}`,
    );
  }
});

test('a string holding // or /* stays a string, with escapes', async () => {
  const tokens = await tokenizeStudy('study s {\n  title "see // and /* here \\" too"\n  seed 1\n}');
  assert.ok(scopesOf(tokens, 'see // and /* here ').includes('string.quoted.double.study'));
  assert.ok(scopesOf(tokens, '\\"').includes('constant.character.escape.study'));
  assert.ok(scopesOf(tokens, 'seed').includes('entity.other.attribute-name.study'), 'the string ended');
});

test('an unterminated string stops at the end of its line, as in the lexer', async () => {
  const tokens = await tokenizeStudy('study s {\n  title "open\n  seed 1\n}');
  assert.ok(scopesOf(tokens, 'seed').includes('entity.other.attribute-name.study'));
});

test('numbers, percentages and ranges', async () => {
  const tokens = await tokenizeStudy(
    'study s {\n  arm a { interval 95%, lr 1e-3, checkpoints 4..12 step 2, rotate -15 }\n}',
  );
  assert.ok(scopesOf(tokens, '95%').includes('constant.numeric.percentage.study'));
  assert.ok(scopesOf(tokens, '1e-3').includes('constant.numeric.study'));
  assert.ok(scopesOf(tokens, '4').includes('constant.numeric.study'));
  assert.ok(scopesOf(tokens, '..').includes('keyword.operator.range.study'));
  assert.ok(scopesOf(tokens, 'step').includes('keyword.other.step.study'));
  assert.ok(scopesOf(tokens, '-').includes('keyword.operator.arithmetic.study'));
  // `step` outside a range is a plain word (`schedule step` would name a value).
  const plain = await tokenizeStudy('study s {\n  arm a { head step }\n}');
  assert.not.ok(scopesOf(plain, 'step').includes('keyword.other.step.study'));
});

test('operators: pipe, arrow, accessor, comparisons', async () => {
  const tokens = await tokenizeStudy(
    'study s {\n  shift f: in_support = a -> b\n  expect c.a.f >= 0.01 + abs(c.a.g)\n}',
  );
  assert.ok(scopesOf(tokens, '->').includes('keyword.operator.arrow.study'));
  assert.ok(scopesOf(tokens, '>=').includes('keyword.operator.comparison.study'));
  assert.ok(scopesOf(tokens, '.').includes('punctuation.accessor.study'));
  assert.ok(scopesOf(tokens, 'f', 1).includes('variable.other.member.study'));
  assert.ok(scopesOf(tokens, 'abs').includes('support.function.builtin.study'));
  assert.ok(scopesOf(tokens, 'expect').includes('keyword.control.expect.study'));
});

test('a chain stage on the next line is still a transform', async () => {
  const tokens = await tokenizeStudy(
    'study s {\n  distribution d = x |\n    vflip\n  distribution e = x\n    | tint { strength 0.5 }\n}',
  );
  assert.ok(scopesOf(tokens, 'vflip').includes('support.function.transform.study'));
  assert.ok(scopesOf(tokens, 'tint').includes('support.function.transform.study'));
  assert.ok(scopesOf(tokens, 'strength').includes('entity.other.attribute-name.study'));
});

test('keywords that name attributes inside a block are attributes; a transform name as an attribute is one', async () => {
  const tokens = await tokenizeStudy(
    'study s {\n  pretrain p {\n    model cnn\n    data d | augment { vflip 0.5 }\n  }\n}',
  );
  assert.ok(scopesOf(tokens, 'model').includes('entity.other.attribute-name.study'));
  assert.ok(scopesOf(tokens, 'data').includes('entity.other.attribute-name.study'));
  assert.ok(scopesOf(tokens, 'cnn').includes('variable.other.study'));
  assert.ok(scopesOf(tokens, 'vflip').includes('entity.other.attribute-name.study'));
});

test('family syntax: indices, `in`, member references and `[*]`', async () => {
  const tokens = await tokenizeStudy(
    'study s {\n  distribution reference[p in [0.5, 0.9]] = d | tint { spurious p }\n' +
      '  compare at[p] { arms [ft[*]], shifts [tint[p]] }\n  expect at[0.9].ft[0.9].tint[0.9] > 0\n}',
  );
  assert.ok(scopesOf(tokens, 'reference').includes('entity.name.type.distribution.study'));
  assert.ok(scopesOf(tokens, 'in').includes('keyword.operator.in.study'));
  assert.ok(scopesOf(tokens, '0.5').includes('constant.numeric.study'));
  assert.ok(scopesOf(tokens, '[').includes('punctuation.section.brackets.begin.study'));
  assert.ok(scopesOf(tokens, '*').includes('keyword.operator.wildcard.study'));
  assert.ok(scopesOf(tokens, 'at').includes('entity.name.type.compare.study'));
  assert.ok(scopesOf(tokens, 'ft').includes('variable.other.study'));
  assert.ok(scopesOf(tokens, 'arms').includes('entity.other.attribute-name.study'));
  // After the family's brackets close, the line goes on as before.
  assert.ok(scopesOf(tokens, 'tint').includes('support.function.transform.study'));
  assert.ok(scopesOf(tokens, '>').includes('keyword.operator.comparison.study'));
});

test.run();
