// The four studies of LANGUAGE.md are the language's contract: they must parse with no problems.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from '../../grammar/index.ts';

const examples = join(import.meta.dirname, '../../examples');
const contract = ['tint_and_flip', 'complementary', 'subspace', 'split_flip'];

test('the four LANGUAGE.md examples are in examples/', () => {
  const present = readdirSync(examples).filter((name) => name.endsWith('.study'));
  for (const name of contract) assert.ok(present.includes(`${name}.study`), `${name}.study missing`);
});

for (const name of contract) {
  test(`${name}.study parses with no problems`, () => {
    const file = `examples/${name}.study`;
    const { document, problems } = parse(readFileSync(join(examples, `${name}.study`), 'utf8'), file);
    assert.equal(problems, []);
    assert.is(document.study?.name.name, name);
    assert.ok((document.study?.items.length ?? 0) > 10);
  });
}

test('every .study file under examples/ parses cleanly', () => {
  for (const name of readdirSync(examples).filter((entry) => entry.endsWith('.study'))) {
    const { problems } = parse(readFileSync(join(examples, name), 'utf8'), name);
    assert.equal(
      problems.map((problem) => problem.message),
      [],
      name,
    );
  }
});

test('docs/language.md shows each example exactly as in examples/', () => {
  const doc = readFileSync(join(import.meta.dirname, '../../docs/language.md'), 'utf8');
  for (const name of contract) {
    const source = readFileSync(join(examples, `${name}.study`), 'utf8');
    assert.ok(doc.includes(`### \`examples/${name}.study\``), `${name} has no section`);
    assert.ok(doc.includes(`\n\`\`\`\n${source}\`\`\`\n`), `${name} differs from examples/${name}.study`);
  }
});

test.run();
