// The semantic-token legend, apart from the token code (navigation.ts) because `initialize` announces it and the
// server answers `initialize` before it loads the parser and checker.
import type { SemanticTokensLegend } from 'vscode-languageserver/node';
import type { SymbolKind } from '../../compiler/check/builtins.ts';

// Semantic tokens: what a TextMate grammar cannot know, the kind of the declaration each name refers to.
// Standard token types, so every theme colours them; `declaration` marks where a name is declared.
export const TOKEN_TYPES: Record<SymbolKind, string> = {
  data: 'namespace',
  distribution: 'variable',
  shift: 'event',
  model: 'class',
  recipe: 'function',
  pretrain: 'type',
  baseline: 'struct',
  arm: 'struct',
  compare: 'interface',
  split: 'enum',
};
export const tokenTypes = [...new Set(Object.values(TOKEN_TYPES))];

export const semanticTokensLegend: SemanticTokensLegend = { tokenTypes, tokenModifiers: ['declaration'] };
