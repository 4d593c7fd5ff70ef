// Tokenises .study text with the committed TextMate grammar through vscode-textmate and vscode-oniguruma,
// the engine VS Code itself runs, so what the tests see is what the editor shows.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import oniguruma from 'vscode-oniguruma';
import textmate, { type IGrammar, type StateStack } from 'vscode-textmate';
import { GRAMMAR_FILE } from '../../editors/vscode/scripts/generate-grammar.ts';

export interface Token {
  line: number;
  column: number;
  text: string;
  /** Scopes below the root `source.study`, outermost first. */
  scopes: string[];
}

// Both packages are CommonJS bundles whose named exports Node cannot detect; take them off the default.
const { INITIAL, parseRawGrammar, Registry } = textmate;
const { loadWASM, OnigScanner, OnigString } = oniguruma;

let grammar: Promise<IGrammar> | undefined;

function loadGrammar(): Promise<IGrammar> {
  grammar ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new OnigScanner(patterns),
        createOnigString: (text: string) => new OnigString(text),
      }),
      loadGrammar: async (scopeName) =>
        scopeName === 'source.study' ? parseRawGrammar(readFileSync(GRAMMAR_FILE, 'utf8'), GRAMMAR_FILE) : null,
    });
    const loaded = await registry.loadGrammar('source.study');
    if (!loaded) throw new Error(`could not load the grammar at ${GRAMMAR_FILE}`);
    return loaded;
  })();
  return grammar;
}

export async function tokenizeStudy(source: string): Promise<Token[]> {
  const loaded = await loadGrammar();
  const tokens: Token[] = [];
  let state: StateStack = INITIAL;
  source.split(/\r\n?|\n/).forEach((text, index) => {
    const result = loaded.tokenizeLine(text, state);
    for (const token of result.tokens) {
      const piece = text.slice(token.startIndex, token.endIndex);
      if (piece.length === 0) continue;
      tokens.push({ line: index + 1, column: token.startIndex + 1, text: piece, scopes: token.scopes.slice(1) });
    }
    state = result.ruleStack;
  });
  return tokens;
}

/** One line per token, `line:column "text" scope scope …`; whitespace between tokens (no scope) is left out. */
export function renderTokens(tokens: Token[]): string {
  return tokens
    .filter((token) => token.text.trim() !== '' || token.scopes.length > 0)
    .map((token) => `${token.line}:${token.column} ${JSON.stringify(token.text)} ${token.scopes.join(' ')}`.trimEnd())
    .join('\n')
    .concat('\n');
}
