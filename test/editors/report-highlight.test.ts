// The report highlights study sources through shiki's JavaScript regex engine (no WebAssembly); VS Code runs
// the same grammar on Oniguruma. Both must cut every study into the same tokens with the same scopes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GRAMMAR_PATH, LANGUAGE, packageRoot, studyHighlighter, THEME } from '../../runtime/report/highlight.ts';
import { GRAMMAR_FILE } from '../../editors/vscode/scripts/generate-grammar.ts';
import { renderTokens, tokenizeStudy, type Token } from './tokenize.ts';

const root = join(import.meta.dirname, '../..');
const studyFiles = ['examples', 'studies'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((name) => name.endsWith('.study'))
    .map((name) => `${dir}/${name}`),
);

test('the report finds the grammar the extension ships, from the package root', () => {
  assert.is(packageRoot(), root);
  assert.is(join(root, GRAMMAR_PATH), GRAMMAR_FILE);
});

for (const file of studyFiles) {
  test(`${file}: shiki's JavaScript engine tokenises as vscode-textmate on Oniguruma`, async () => {
    const source = readFileSync(join(root, file), 'utf8');
    const highlighter = await studyHighlighter();
    assert.ok(highlighter, 'the grammar is in this checkout');
    const lines = highlighter.codeToTokensBase(source, { lang: LANGUAGE, theme: THEME, includeExplanation: true });
    const shiki: Token[] = [];
    lines.forEach((line, index) => {
      let column = 1;
      for (const token of line) {
        for (const part of token.explanation ?? []) {
          shiki.push({
            line: index + 1,
            column,
            text: part.content,
            scopes: part.scopes.map((scope) => scope.scopeName).slice(1),
          });
          column += part.content.length;
        }
      }
    });
    assert.fixture(renderTokens(shiki), renderTokens(await tokenizeStudy(source)));
  });
}

test.run();
