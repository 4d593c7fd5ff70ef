// Go to definition, find references, rename, the outline, folding ranges and semantic tokens: all from
// the name occurrences of one analysis (the binder's symbols and the checker's index of name uses).

import {
  FoldingRangeKind,
  ResponseError,
  ErrorCodes,
  SymbolKind as LspSymbolKind,
  type DocumentSymbol,
  type FoldingRange,
  type Location,
  type Range,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { keywordWords } from '../../grammar/lexer.ts';
import { children } from '../../grammar/visitor.ts';
import type { Node } from '../../grammar/ast.ts';
import { occurrenceAt, occurrencesOfBinding, type Analysis } from './analysis.ts';
import { toRange } from './convert.ts';
import { indexUseAt, isIndexName, type IndexUse } from './families.ts';
import { TOKEN_TYPES, tokenTypes } from './legend.ts';
import type { SymbolKind } from './schema.ts';

export function definition(analysis: Analysis, uri: string, offset: number): Location | null {
  const index = indexUseAt(analysis.families, offset);
  if (index) return { uri, range: toRange(index.index.name.span) };
  const occurrence = occurrenceAt(analysis, offset);
  return occurrence ? { uri, range: toRange(occurrence.binding.nameSpan) } : null;
}

/** Every declaration and use of an index name: it is in scope in its own declaration (or claim) only. */
const usesOfIndex = (analysis: Analysis, use: IndexUse) =>
  analysis.families.indexUses.filter((u) => u.index === use.index);

export function references(analysis: Analysis, uri: string, offset: number, includeDeclaration: boolean): Location[] {
  const index = indexUseAt(analysis.families, offset);
  if (index)
    return usesOfIndex(analysis, index)
      .filter((u) => includeDeclaration || !u.declaration)
      .map((u) => ({ uri, range: toRange(u.identifier.span) }));
  const occurrence = occurrenceAt(analysis, offset);
  if (!occurrence) return [];
  return occurrencesOfBinding(analysis, occurrence.binding)
    .filter((o) => includeDeclaration || !o.declaration)
    .map((o) => ({ uri, range: toRange(o.identifier.span) }));
}

export function prepareRename(analysis: Analysis, offset: number): { range: Range; placeholder: string } | null {
  const identifier = indexUseAt(analysis.families, offset)?.identifier ?? occurrenceAt(analysis, offset)?.identifier;
  return identifier ? { range: toRange(identifier.span), placeholder: identifier.name } : null;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set(keywordWords);

/**
 * Every occurrence renamed: a family's name in every member reference (`ft[0.5]`, `ft[*]`, `at[p].ft[p]`), an
 * index within its declaration. Refuses a name that is not an identifier, is a keyword, or would clash: with a
 * declared name, with a family index (an index may not share a declared name), with the declaration's other indices.
 */
export function rename(analysis: Analysis, uri: string, offset: number, newName: string): WorkspaceEdit {
  const index = indexUseAt(analysis.families, offset);
  const occurrence = index ? undefined : occurrenceAt(analysis, offset);
  if (!index && !occurrence) throw new ResponseError(ErrorCodes.InvalidRequest, 'no declared name here to rename');
  if (!IDENTIFIER.test(newName))
    throw new ResponseError(
      ErrorCodes.InvalidParams,
      `'${newName}' is not a name (letters, digits and _, not starting with a digit)`,
    );
  if (KEYWORDS.has(newName)) throw new ResponseError(ErrorCodes.InvalidParams, `'${newName}' is a keyword`);
  const clash = analysis.bound?.symbols.get(newName);
  if (clash && clash !== occurrence?.binding) {
    throw new ResponseError(
      ErrorCodes.InvalidParams,
      `'${newName}' is already declared (${clash.kind} on line ${clash.nameSpan.line})`,
    );
  }
  const study = analysis.document.study;
  if (index) {
    const sibling = index.owner.indices!.items.find((i) => i !== index.index && i.name.name === newName);
    if (sibling) throw new ResponseError(ErrorCodes.InvalidParams, `'${newName}' is already an index here`);
    const edits = usesOfIndex(analysis, index).map((u) => ({ range: toRange(u.identifier.span), newText: newName }));
    return { changes: { [uri]: edits } };
  }
  if (study && isIndexName(study, newName) && newName !== occurrence!.binding.name)
    throw new ResponseError(
      ErrorCodes.InvalidParams,
      `'${newName}' is a family index; a declaration may not share its name`,
    );
  const edits = occurrencesOfBinding(analysis, occurrence!.binding).map((o) => ({
    range: toRange(o.identifier.span),
    newText: newName,
  }));
  return { changes: { [uri]: edits } };
}

const SYMBOL_KINDS: Record<SymbolKind, LspSymbolKind> = {
  data: LspSymbolKind.File,
  distribution: LspSymbolKind.Variable,
  shift: LspSymbolKind.Event,
  model: LspSymbolKind.Class,
  recipe: LspSymbolKind.Function,
  pretrain: LspSymbolKind.Constructor,
  baseline: LspSymbolKind.Struct,
  arm: LspSymbolKind.Struct,
  compare: LspSymbolKind.Interface,
  split: LspSymbolKind.Enum,
};

export function documentSymbols(analysis: Analysis): DocumentSymbol[] {
  const study = analysis.document.study;
  const bound = analysis.bound;
  if (!study || !bound) return [];
  const items: DocumentSymbol[] = bound.declarations
    .filter((d) => d.name !== '')
    .map((d) => ({
      name: d.name,
      detail: d.kind,
      kind: SYMBOL_KINDS[d.kind],
      range: toRange(d.declaration.span),
      selectionRange: toRange(d.nameSpan),
    }));
  for (const expect of bound.expects) {
    const text = analysis.document.source.slice(expect.expression.span.start, expect.expression.span.end);
    items.push({
      name: `expect ${text}`,
      kind: LspSymbolKind.Boolean,
      range: toRange(expect.span),
      selectionRange: toRange(expect.expression.span),
    });
  }
  items.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return [
    {
      name: study.name.name || 'study',
      detail: 'study',
      kind: LspSymbolKind.Module,
      range: toRange(study.span),
      selectionRange: toRange(study.name.span),
      children: items,
    },
  ];
}

/** Every multi-line `{ }` block and list, the study body, and multi-line comments. */
export function foldingRanges(analysis: Analysis): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const walk = (node: Node) => {
    if (
      (node.kind === 'Block' || node.kind === 'List' || node.kind === 'Study') &&
      node.span.endLine > node.span.line
    ) {
      ranges.push({ startLine: node.span.line - 1, endLine: node.span.endLine - 1 });
    }
    for (const child of children(node)) walk(child);
  };
  walk(analysis.document);
  for (const comment of analysis.document.comments) {
    if (comment.span.endLine > comment.span.line)
      ranges.push({
        startLine: comment.span.line - 1,
        endLine: comment.span.endLine - 1,
        kind: FoldingRangeKind.Comment,
      });
  }
  return ranges;
}

/** The LSP's relative encoding: (line delta, start delta, length, type, modifiers) per token. */
export function semanticTokens(analysis: Analysis): { data: number[] } {
  const data: number[] = [];
  let line = 0;
  let character = 0;
  for (const { identifier, binding, declaration } of analysis.occurrences) {
    const span = identifier.span;
    if (span.endLine !== span.line || span.end === span.start) continue;
    const l = span.line - 1;
    const c = span.column - 1;
    data.push(
      l - line,
      l === line ? c - character : c,
      span.end - span.start,
      tokenTypes.indexOf(TOKEN_TYPES[binding.kind]),
      declaration ? 1 : 0,
    );
    line = l;
    character = c;
  }
  return { data };
}
