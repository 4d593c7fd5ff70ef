// The walker and the span-blind AST comparison the formatter's tests rely on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { astEqual, parse, stripSpans, visit, type Node } from '../../grammar/index.ts';

const example = readFileSync(join(import.meta.dirname, '../../examples/subspace.study'), 'utf8');

test('visit: enter before children, leave after, in source order', () => {
  const { document } = parse('study s { seed 0, title "t" }', 'v.study');
  const events: string[] = [];
  const label = (node: Node) => (node.kind === 'Identifier' ? `Identifier:${node.name}` : node.kind);
  visit(document, {
    enter: (node) => void events.push(`+${label(node)}`),
    leave: (node) => void events.push(`-${label(node)}`),
  });
  assert.equal(events, [
    '+Document',
    '+Study',
    '+Identifier:s',
    '-Identifier:s',
    '+Attribute',
    '+Identifier:seed',
    '-Identifier:seed',
    '+Number',
    '-Number',
    '-Attribute',
    '+Attribute',
    '+Identifier:title',
    '-Identifier:title',
    '+String',
    '-String',
    '-Attribute',
    '-Study',
    '-Document',
  ]);
});

test('visit: enter returning false skips the children; parents are passed', () => {
  const { document } = parse(example, 'subspace.study');
  const kinds = new Set<string>();
  let referencesUnderExpect = 0;
  visit(document, {
    enter: (node, parent) => {
      kinds.add(node.kind);
      if (node.kind === 'Reference' && parent?.kind === 'Expect') referencesUnderExpect++;
      return node.kind !== 'Block';
    },
  });
  assert.ok(kinds.has('Expect') && kinds.has('Shift') && kinds.has('Range') === false, [...kinds].join());
  assert.is(referencesUnderExpect, 0); // expectations hold a Binary, not a bare reference
});

test('astEqual ignores layout, spans and comments placement but not meaning', () => {
  const compact = parse('study s { recipe r { lr 1e-3, epochs 2 } }', 'a.study').document;
  const spread = parse('study s {\n  // why\n  recipe r {\n    lr 1e-3\n    epochs 2\n  }\n}\n', 'b.study').document;
  const changed = parse('study s { recipe r { lr 1e-4, epochs 2 } }', 'c.study').document;
  assert.ok(astEqual(compact.study, spread.study));
  assert.not.ok(astEqual(compact.study, changed.study));
  assert.not.ok(astEqual(compact, spread)); // documents differ: one has a comment
});

test('stripSpans removes every span and the source text, and copies', () => {
  const { document } = parse(example, 'subspace.study');
  const stripped = stripSpans(document);
  assert.not.match(JSON.stringify(stripped), /"span"|"source"/);
  assert.is((stripped as { study: unknown }).study === document.study, false);
  assert.ok(document.study!.span.end > 0); // the original keeps its spans
});

test.run();
