// Properties over every .study file in the repo and every golden input: the formatter's output parses,
// means the same (AST equal, spans aside), keeps every comment, and is a fixed point.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { format } from '../../compiler/format/index.ts';
import type { Document } from '../../grammar/ast.ts';
import { astEqual, parse, stripSpans } from '../../grammar/index.ts';
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
  assert.ok(parseable.length >= goldenCases().length);
});

for (const { name, source } of parseable) {
  test(`${name}: formatting keeps the meaning and every comment, and is idempotent`, () => {
    const before = parse(source, name).document;
    const once = format(before);
    const reparsed = parse(once, name);
    assert.equal(reparsed.problems.map((p) => p.message), [], 'the output parses');
    assert.equal(stripSpans(reparsed.document.study), stripSpans(before.study), 'AST equal, spans aside');
    assert.ok(astEqual(reparsed.document.study, before.study));
    assert.equal(commentTexts(reparsed.document), commentTexts(before), 'every comment kept');
    assert.fixture(format(reparsed.document), once, 'format(format(x)) == format(x)');
  });
}

test.run();
