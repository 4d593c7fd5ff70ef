// The layering of ARCHITECTURE.md, enforced: grammar/ imports chevrotain only; runtime/ never imports grammar/
// or compiler/ (a compiled script needs the runtime alone); compiler/ never imports cli/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../helpers/cli.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') || path.endsWith('.mjs') ? [path] : [];
  });
}

/** Every module specifier a file imports (static and dynamic), resolved to a repo folder when relative. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1]!);
  return specifiers.map((specifier) => (specifier.startsWith('.') ? relative(repoRoot, resolve(file, '..', specifier)) : specifier));
}

const violations = (folder: string, allowed: (specifier: string) => boolean) =>
  sources(join(repoRoot, folder)).flatMap((file) =>
    imports(file)
      .filter((specifier) => !allowed(specifier))
      .map((specifier) => `${relative(repoRoot, file)} imports ${specifier}`),
  );

test('runtime/ never imports grammar/ or compiler/ or cli/', () => {
  assert.equal(violations('runtime', (s) => !/^(grammar|compiler|cli)\//.test(s)), []);
});

test('grammar/ imports only itself and chevrotain', () => {
  assert.equal(violations('grammar', (s) => s.startsWith('grammar/') || s === 'chevrotain'), []);
});

test('compiler/ never imports cli/', () => {
  assert.equal(violations('compiler', (s) => !s.startsWith('cli/')), []);
});

test.run();
