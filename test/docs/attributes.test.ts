import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as builtins from '../../compiler/check/builtins.ts';
import { DEFAULT_RECIPE } from '../../runtime/train/recipe.ts';
import { ATTRIBUTES_HEADING, declarationTables, renderAttributesSection } from '../../docs/attributes.ts';
import { REGENERATE } from '../../docs/generate.ts';
import { replaceSectionBody, sectionBody } from '../../docs/markdown.ts';

const languageDoc = () => readFileSync(new URL('../../docs/language.md', import.meta.url), 'utf8');

/** The table rows (`| `name` | … |`) under the `#### ` heading that starts with `title`. */
function rowsUnder(section: string, title: string): Map<string, string[]> {
  const start = section.indexOf(`#### ${title}`);
  assert.ok(start >= 0, `no heading '#### ${title}'`);
  const end = section.indexOf('\n#', start + 1);
  const rows = new Map<string, string[]>();
  for (const line of section.slice(start, end < 0 ? undefined : end).split('\n')) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    const name = /^`(\w+)`$/.exec(cells[1] ?? '')?.[1];
    if (name) rows.set(name, cells.slice(2, -1));
  }
  return rows;
}

test('docs/language.md: the Attributes and defaults section is what the generator produces now', () => {
  const documented = sectionBody(languageDoc(), ATTRIBUTES_HEADING);
  assert.ok(documented !== undefined, `docs/language.md has no '${ATTRIBUTES_HEADING}' section`);
  if (documented !== renderAttributesSection()) {
    assert.unreachable(
      `docs/language.md's '${ATTRIBUTES_HEADING}' is out of date with compiler/check/builtins.ts: run \`${REGENERATE}\``,
    );
  }
});

test('every exported attribute table of the checker has a section', () => {
  const exported = Object.entries(builtins)
    .filter(([name]) => name.endsWith('Attributes'))
    .map(([, table]) => table);
  assert.ok(exported.length >= 7);
  for (const table of exported)
    assert.ok(
      declarationTables.some((d) => d.table === table),
      `an exported *Attributes table is not rendered`,
    );
});

test('recipe rows carry the runtime defaults', () => {
  const rows = rowsUnder(renderAttributesSection(), '`recipe NAME');
  assert.equal([...rows.keys()], Object.keys(builtins.recipeAttributes));
  assert.is(rows.get('epochs')?.[2], `\`${DEFAULT_RECIPE.epochs}\``);
  assert.is(rows.get('lr')?.[2], `\`${DEFAULT_RECIPE.lr}\``);
  assert.is(rows.get('optimizer')?.[0], 'one of `adam`, `sgd`, `adamw`');
});

test('every source, transform and architecture has a heading with its attributes, required ones marked', () => {
  const section = renderAttributesSection();
  const groups = [builtins.sources, builtins.transforms, builtins.architectures] as Record<
    string,
    { attributes: builtins.AttributeTable }
  >[];
  for (const group of groups) {
    for (const [name, builtin] of Object.entries(group)) {
      const rows = rowsUnder(section, `\`${name}`);
      assert.equal([...rows.keys()], Object.keys(builtin.attributes), name);
      for (const [attribute, spec] of Object.entries(builtin.attributes)) {
        if (spec.required) assert.is(rows.get(attribute)?.[2], '**required**', `${name}.${attribute}`);
      }
    }
  }
  assert.match(section, '| `tint` | images | `tint`, `aligned` |');
  assert.match(section, '| `vflip` | images | `vflip` |');
});

test('a pipe in a schema description does not break its table row', () => {
  const rows = rowsUnder(renderAttributesSection(), '`pretrain NAME');
  assert.is(rows.get('data')?.length, 4);
  assert.match(rows.get('data')![0]!, '\\|');
});

test('a schema change changes the section (the drift test can fail)', () => {
  const strength = builtins.transforms.tint!.attributes.strength!;
  const before = renderAttributesSection();
  const original = strength.default;
  try {
    strength.default = 0.75;
    const after = renderAttributesSection();
    assert.is.not(after, before);
    assert.is(rowsUnder(after, '`tint`').get('strength')?.[2], '`0.75`');
  } finally {
    strength.default = original;
  }
});

test('replaceSectionBody replaces one section up to the next ## heading and nothing else', () => {
  const doc = '# T\n\n## A\n\nold\n### sub\nold too\n\n## B\n\nkept\n';
  const updated = replaceSectionBody(doc, '## A', '\nnew\n');
  assert.is(updated, '# T\n\n## A\n\nnew\n\n## B\n\nkept\n');
  assert.is(sectionBody(updated, '## B'), '\nkept\n');
  assert.is(sectionBody(doc, '## C'), undefined);
  assert.throws(() => replaceSectionBody(doc, '## C', ''), /no section/);
});

test.run();
