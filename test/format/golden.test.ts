// Golden pairs: test/format/golden/NAME.input formats to exactly NAME.expected (written by hand),
// and NAME.expected is a fixed point.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { format } from '../../compiler/format/index.ts';
import { parse } from '../../grammar/index.ts';
import { goldenCases, goldenDir } from './studies.ts';

function formatted(source: string, file: string): string {
  const { document, problems } = parse(source, file);
  assert.equal(
    problems.map((p) => `${p.span.line}:${p.span.column} ${p.message}`),
    [],
    `${file} parses`,
  );
  return format(document);
}

const cases = goldenCases();

test('there are golden cases', () => {
  assert.ok(cases.length >= 6, `found ${cases.length}`);
});

for (const name of cases) {
  const input = readFileSync(join(goldenDir, `${name}.input`), 'utf8');
  const expected = readFileSync(join(goldenDir, `${name}.expected`), 'utf8');
  test(`golden ${name}: input formats to the expected text`, () => {
    assert.fixture(formatted(input, `${name}.input`), expected);
  });
  test(`golden ${name}: the expected text is already formatted`, () => {
    assert.fixture(formatted(expected, `${name}.expected`), expected);
  });
}

test.run();
