import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allDefinitions } from '../../compiler/diagnostics/index.ts';

const docs = readFileSync(new URL('../../docs/diagnostics.md', import.meta.url), 'utf8');
const documented = [...docs.matchAll(/^## (S\d{4})\b/gm)].map((m) => m[1]!);

test('codes are unique and well-formed', () => {
  const codes = allDefinitions.map((d) => d.code);
  assert.equal(new Set(codes).size, codes.length, 'duplicate code');
  for (const code of codes) assert.match(code, /^S\d{4}$/);
});

test('every code has a docs section and every section a code', () => {
  const codes = new Set(allDefinitions.map((d) => d.code));
  for (const code of codes) assert.ok(documented.includes(code), `${code} has no section in docs/diagnostics.md`);
  for (const code of documented) assert.ok(codes.has(code), `docs section ${code} is not in the registry`);
  assert.equal(new Set(documented).size, documented.length, 'duplicate docs section');
});

test.run();
