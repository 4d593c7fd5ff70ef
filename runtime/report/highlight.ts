// Highlights a study's source for the report with the editor's own TextMate grammar (the JSON the VS Code
// extension ships), through shiki, offline: the grammar is read from the package folder and the theme is
// bundled with shiki. shiki loads on the first report only, so importing the runtime stays cheap.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HighlighterCore, LanguageRegistration } from 'shiki/core';

/** Where the grammar sits inside the shiftlab package; editors/vscode/scripts/generate-grammar.ts writes it. */
export const GRAMMAR_PATH = 'editors/vscode/syntaxes/study.tmLanguage.json';
export const THEME = 'github-light';
export const LANGUAGE = 'study';

/**
 * The folder of the shiftlab package this file belongs to, found by walking up to its package.json, so the
 * grammar is found from the sources, from compiled JavaScript in a sub-folder, or from node_modules/shiftlab.
 */
export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'shiftlab')
      return dir;
    if (dirname(dir) === dir) return null;
  }
}

let highlighter: Promise<HighlighterCore | null> | undefined;

async function load(): Promise<HighlighterCore | null> {
  const root = packageRoot();
  const file = root && join(root, GRAMMAR_PATH);
  // A copy of the runtime without the editors folder still writes a report, with the source unhighlighted.
  if (!file || !existsSync(file)) return null;
  const grammar = JSON.parse(readFileSync(file, 'utf8')) as LanguageRegistration;
  const [{ createHighlighterCore }, { createJavaScriptRegexEngine }] = await Promise.all([
    import('shiki/core'),
    import('shiki/engine/javascript'),
  ]);
  // The JavaScript engine needs no WebAssembly and starts faster; test/editors checks it tokenises every study
  // exactly as the Oniguruma engine VS Code runs.
  return createHighlighterCore({
    engine: createJavaScriptRegexEngine(),
    themes: [import('shiki/themes/github-light.mjs')],
    langs: [{ ...grammar, name: LANGUAGE }],
  });
}

/** The one highlighter of this process, made on first use; null when the grammar is not in this copy. */
export function studyHighlighter(): Promise<HighlighterCore | null> {
  highlighter ??= load();
  return highlighter;
}

/** The study source as a highlighted `<pre>`, or null when the grammar is not in this copy of the package. */
export async function highlightStudy(source: string): Promise<string | null> {
  const loaded = await studyHighlighter();
  return loaded ? loaded.codeToHtml(source, { lang: LANGUAGE, theme: THEME }) : null;
}
