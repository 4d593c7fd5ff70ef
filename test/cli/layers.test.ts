// The layering of ARCHITECTURE.md, enforced: grammar/ imports chevrotain only; runtime/ never imports grammar/
// or compiler/ (a compiled script needs the runtime alone); compiler/ never imports cli/; and no import circle
// anywhere in grammar/ compiler/ runtime/ cli/. Imports are read through the TypeScript parser
// (test/helpers/imports.ts), so double quotes, `import type`, re-exports and dynamic imports all count.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cyclesIn, importCycles, importsOf, sourceFiles } from '../helpers/imports.ts';

const violations = (folder: string, allowed: (specifier: string) => boolean) =>
  sourceFiles(folder).flatMap((file) =>
    importsOf(file)
      .filter((edge) => !allowed(edge.target))
      .map((edge) => `${file} imports ${edge.target}`),
  );

test('the import reader sees every form of import', () => {
  const edges = importsOf('cli/commands/run.ts').map((edge) => `${edge.target}${edge.typeOnly ? ' (type)' : ''}`);
  // A type-only import and a dynamic import of the same module, and a bare package specifier.
  assert.ok(edges.includes('cli/actions/run.ts (type)'), edges.join(', '));
  assert.ok(edges.includes('cli/actions/run.ts'), edges.join(', '));
  assert.ok(edges.includes('commander (type)'), edges.join(', '));
});

test('cli/commands/ loads no action, so one command does not load the packages of all the others', () => {
  // Registration needs commander and the option defaults; an action module only as a type or through import().
  const eager = sourceFiles('cli/commands').flatMap((file) =>
    importsOf(file)
      .filter((edge) => !edge.typeOnly && !edge.dynamic)
      .filter(
        (edge) =>
          !['commander', 'runtime/study/defaults.ts'].includes(edge.target) && !edge.target.startsWith('cli/commands/'),
      )
      .map((edge) => `${file} imports ${edge.target}`),
  );
  assert.equal(eager, []);
});

test('runtime/ never imports grammar/ or compiler/ or cli/', () => {
  assert.equal(
    violations('runtime', (s) => !/^(grammar|compiler|cli)\//.test(s)),
    [],
  );
});

test('grammar/ imports only itself and chevrotain', () => {
  assert.equal(
    violations('grammar', (s) => s.startsWith('grammar/') || s === 'chevrotain'),
    [],
  );
});

test('compiler/ never imports cli/', () => {
  assert.equal(
    violations('compiler', (s) => !s.startsWith('cli/')),
    [],
  );
});

test('no import circle in grammar/ compiler/ runtime/ cli/ (type-only imports included)', () => {
  const files = ['grammar', 'compiler', 'runtime', 'cli'].flatMap(sourceFiles);
  assert.ok(files.length > 100, `only ${files.length} files found`);
  assert.equal(importCycles(files), []);
});

test('the circle finder finds circles, self-imports included, and nothing else', () => {
  const graph = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
    ['d', ['a', 'd']],
    ['e', ['a']],
  ]);
  assert.equal(cyclesIn(graph), [['a', 'b', 'c'], ['d']]);
  assert.equal(
    cyclesIn(
      new Map([
        ['a', ['b']],
        ['b', []],
      ]),
    ),
    [],
  );
});

test.run();
