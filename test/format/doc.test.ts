// The layout algebra on its own: when a group is flat, when it breaks, and what a break looks like.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Doc, group, hardline, ifBreak, indent, join, line, render, softline } from '../../compiler/format/doc.ts';

const list = (items: string[]): Doc => group(['[', indent([softline, join([',', line], items)]), softline, ']']);

test('a group that fits on the line stays flat; one column more breaks it', () => {
  const doc = list(['aaaa', 'bbbb']); // "[aaaa, bbbb]" is 12 columns
  assert.is(render(doc, 12), '[aaaa, bbbb]');
  assert.is(render(doc, 11), '[\n  aaaa,\n  bbbb\n]');
});

test('text after a group on the same line counts against its width', () => {
  const doc = [list(['aaaa', 'bbbb']), ' | tail'];
  assert.is(render(doc, 19), '[aaaa, bbbb] | tail');
  assert.is(render(doc, 18), '[\n  aaaa,\n  bbbb\n] | tail');
});

test('a hardline breaks every group around it, however short', () => {
  const doc = group(['{', indent([line, 'a', hardline, 'b']), line, '}']);
  assert.is(render(doc, 80), '{\n  a\n  b\n}');
});

test('a group marked broken breaks, and inner groups still decide for themselves', () => {
  const doc = group(['{', indent([line, 'x ', list(['1', '2'])]), line, '}'], { broken: true });
  assert.is(render(doc, 80), '{\n  x [1, 2]\n}');
});

test('ifBreak picks its branch by the mode of its group', () => {
  const doc = (items: string[]) => group(['{', indent([line, join([ifBreak('', ','), line], items)]), line, '}']);
  assert.is(render(doc(['a 1', 'b 2']), 80), '{ a 1, b 2 }');
  assert.is(render(doc(['a 1', 'b 2']), 5), '{\n  a 1\n  b 2\n}');
});

test('lines never end in spaces, even across blank lines', () => {
  const doc = indent(['a', hardline, hardline, 'b ', hardline]);
  assert.is(render(doc, 80), 'a\n\n  b\n');
});

test.run();
