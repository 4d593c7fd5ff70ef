// Completion from the recovered tree and the current line: attribute names the enclosing block takes (not
// yet present), declared names of the kinds the attribute accepts, builtins after `=` and `|`, enum values,
// splits after `name.` and comparison results in `expect` lines.

import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver/node';
import { declarationKeywords } from '../../grammar/ast.ts';
import type { Binding } from '../../compiler/check/binder.ts';
import { enclosingBlock, type Analysis } from './analysis.ts';
import {
  acceptedKinds,
  builtin,
  builtinNames,
  describeAttribute,
  enumValues,
  SHIFT_KINDS,
  SPLIT_FUNCTIONS,
  SPLIT_NAMES,
  SPLIT_PARTS,
  studyAttributes,
  takesChain,
  type BuiltinFamily,
  type SymbolKind,
} from './schema.ts';

/** The words of the line before the cursor, without the word being typed (strings and comments dropped). */
function lineTokens(before: string): string[] {
  const code = before.replace(/"(?:[^"\\]|\\.)*"?/g, '""').replace(/\/\/.*$/, '');
  return code.match(/->|\.\.|[A-Za-z_][A-Za-z0-9_]*|\d[\w.%]*|""|[^\s\w]/g) ?? [];
}

export function complete(analysis: Analysis, offset: number): CompletionItem[] {
  const source = analysis.document.source;
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  const before = source.slice(lineStart, offset);
  const typing = /[A-Za-z_][A-Za-z0-9_]*$/.exec(before)?.[0] ?? '';
  const tokens = lineTokens(before.slice(0, before.length - typing.length));
  const last = tokens.at(-1);
  const declarations = analysis.bound?.declarations ?? [];
  const names = (kinds: readonly SymbolKind[]) => names_(declarations, kinds);

  if (tokens[0] === 'expect') return expectCompletions(analysis, tokens);
  if (last === '.') {
    const head = analysis.bound?.symbols.get(tokens.at(-2) ?? '');
    if (head?.kind === 'split') return words(SPLIT_PARTS, CompletionItemKind.EnumMember, 'split part');
    return words(SPLIT_NAMES, CompletionItemKind.EnumMember, 'split');
  }
  if (last === '|') return builtins('transform');
  const keyword = tokens[0];
  if (keyword === 'shift') {
    if (last === ':') return words(SHIFT_KINDS, CompletionItemKind.EnumMember, 'shift kind');
    if (last === '=' || last === '->') return names(['distribution', 'data']);
    return [];
  }
  if (last === '=' && tokens.length === 3) {
    if (keyword === 'data') return builtins('data source');
    if (keyword === 'model') return builtins('architecture');
    if (keyword === 'split') return words(SPLIT_FUNCTIONS, CompletionItemKind.Function, 'split function');
    if (keyword === 'distribution') return names(['distribution', 'data']);
  }
  if (keyword === 'split' && last === '(') return names(['shift']);

  const { block, application } = enclosingBlock(analysis, offset);
  // Start of an attribute: at the line start, after `{` or after `,`.
  const atAttributeStart = tokens.length === 0 || last === '{' || last === ',';
  if (atAttributeStart && !(last === ',' && tokens.includes('['))) {
    if (!application && block) return [];
    const table = application?.table ?? studyAttributes;
    const present = new Set(
      (application?.attributes ?? []).filter((a) => a.name.name !== typing).map((a) => a.name.name),
    );
    const items: CompletionItem[] = Object.entries(table)
      .filter(([name]) => !present.has(name))
      .map(([name, spec]) => ({
        label: name,
        kind: CompletionItemKind.Property,
        detail: spec.required ? 'required' : undefined,
        documentation: { kind: 'markdown', value: describeAttribute(name, spec).join('\n') },
      }));
    if (!block)
      items.push(
        ...Object.values(declarationKeywords).map((word) => ({ label: word, kind: CompletionItemKind.Keyword })),
      );
    return items;
  }
  // A value: the first word of the line (or after `{`/`,`) is the attribute.
  const start = Math.max(tokens.lastIndexOf('{'), tokens.lastIndexOf(','), -1);
  const attribute = tokens.slice(start + 1).find((t) => /^[A-Za-z_]/.test(t));
  const spec = attribute ? application?.table[attribute] : undefined;
  if (!spec) return [];
  const values = enumValues(spec.type);
  if (values.length) return words(values, CompletionItemKind.EnumMember, attribute!);
  const kinds = acceptedKinds(spec.type);
  const items = names(kinds);
  if (takesChain(spec.type) && last === '|') return builtins('transform');
  return items;
}

function names_(declarations: Binding[], kinds: readonly SymbolKind[]): CompletionItem[] {
  const seen = new Set<string>();
  return declarations
    .filter((d) => kinds.includes(d.kind) && !seen.has(d.name) && seen.add(d.name))
    .map((d) => ({ label: d.name, kind: CompletionItemKind.Variable, detail: d.kind }));
}

function words(values: readonly string[], kind: CompletionItemKind, detail: string): CompletionItem[] {
  return values.map((label) => ({ label, kind, detail }));
}

function builtins(family: BuiltinFamily): CompletionItem[] {
  return builtinNames(family).map((name) => {
    const doc = builtin(family, name)!;
    return {
      label: name,
      kind: CompletionItemKind.Function,
      detail: family,
      documentation: { kind: 'markdown', value: doc.doc },
    };
  });
}

/** `expect compare.arm.shift`: compares, then their arms, then their shifts (from the checker's readings). */
function expectCompletions(analysis: Analysis, tokens: string[]): CompletionItem[] {
  const path: string[] = [];
  for (let i = tokens.length - 1; i > 0 && tokens[i] === '.'; i -= 2) path.unshift(tokens[i - 1]!);
  const bound = analysis.bound;
  if (!bound) return [];
  const compares = bound.declarations.filter((d) => d.kind === 'compare');
  if (path.length === 0) return names_(bound.declarations, ['compare']);
  const compare = compares.find((c) => c.name === path[0]);
  const body = compare && 'body' in compare.declaration ? compare.declaration.body.attributes : [];
  const listed = (name: string) =>
    body
      .find((a) => a.name.name === name)
      ?.values.flatMap((v) => (v.kind === 'List' ? v.items : []))
      .flatMap((item) => (item.kind === 'Reference' ? [item.path.map((p) => p.name).join('.')] : [])) ?? [];
  if (path.length === 1) return words(listed('arms'), CompletionItemKind.Variable, 'arm');
  if (path.length === 2)
    return words([...new Set(listed('shifts').map((s) => s.split('.')[0]!))], CompletionItemKind.Variable, 'shift');
  if (path.length === 3 && bound.symbols.get(path[2]!)?.kind === 'split')
    return words(SPLIT_PARTS, CompletionItemKind.EnumMember, 'split part');
  return [];
}
