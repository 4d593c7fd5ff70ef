// Completion from the recovered tree and the current line: attribute names the enclosing block takes (not
// yet present), declared names of the kinds the attribute accepts, builtins after `=` and `|`, enum values,
// splits after `name.` and comparison results in `expect` lines.

import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver/node';
import { declarationKeywords } from '../../grammar/ast.ts';
import type { Binding } from '../../compiler/check/binder.ts';
import { enclosingBlock, pathAt, type Analysis } from './analysis.ts';
import type { Families } from './families.ts';
import type { Reference } from '../../grammar/ast.ts';
import { checkSource } from '../../compiler/check/index.ts';
import { TRAINED_MODEL_KINDS } from '../../compiler/check/sites.ts';
import {
  acceptedKinds,
  builtin,
  builtinNames,
  describeAttribute,
  describeFunction,
  describeSignature,
  expectFunction,
  expectFunctionNames,
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
  const names = (kinds: readonly SymbolKind[]) => names_(declarations, kinds, analysis.families);

  const member = memberIndexCompletions(analysis, offset, before.slice(0, before.length - typing.length));
  if (member) return member;
  if (tokens[0] === 'expect') {
    const written = before.slice(0, before.length - typing.length);
    return callCompletions(analysis, written, lineStart) ?? expectCompletions(analysis, written);
  }
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

/** Declared names of the given kinds; a family also offers each of its members (`ft[0.5]`). */
function names_(declarations: Binding[], kinds: readonly SymbolKind[], families?: Families): CompletionItem[] {
  const seen = new Set<string>();
  return declarations
    .filter((d) => kinds.includes(d.kind) && !seen.has(d.name) && seen.add(d.name))
    .flatMap((d) => [
      { label: d.name, kind: CompletionItemKind.Variable, detail: d.kind },
      ...(families?.byName.get(d.name)?.binding === d ? families.byName.get(d.name)!.members : []).map((member) => ({
        label: member,
        kind: CompletionItemKind.Variable,
        detail: `${d.kind} (member of ${d.name})`,
      })),
    ]);
}

/**
 * Inside a member index (`reference[`, `g[0.5, `): the values of that index of the family, `*` (every member,
 * in a list) and the indices of the enclosing declaration. Undefined when the cursor is in no member index.
 */
function memberIndexCompletions(analysis: Analysis, offset: number, before: string): CompletionItem[] | undefined {
  let depth = 0;
  let open = -1;
  for (let i = before.length - 1; i >= 0 && open < 0; i--) {
    if (before[i] === ']') depth++;
    else if (before[i] === '[') {
      if (depth === 0) open = i;
      else depth--;
    }
  }
  if (open < 0) return undefined;
  const name = /([A-Za-z_][A-Za-z0-9_]*)$/.exec(before.slice(0, open))?.[1];
  const family = name === undefined ? undefined : analysis.families.byName.get(name);
  if (!family) return undefined;
  const position = (before.slice(open + 1).match(/,/g) ?? []).length;
  const index = family.indices[position];
  if (!index) return [];
  const items: CompletionItem[] = (index.values ?? []).map((value) => ({
    label: value.spelling,
    kind: CompletionItemKind.EnumMember,
    detail: `${index.index.name.name} of ${family.name}`,
  }));
  items.push({ label: '*', kind: CompletionItemKind.Operator, detail: `every member of ${family.name} (in a list)` });
  const owner = pathAt(analysis, offset).find((node) => 'indices' in node && node.indices);
  const scope = owner && 'indices' in owner ? (owner.indices?.items ?? []) : [];
  for (const inScope of scope)
    items.push({ label: inScope.name.name, kind: CompletionItemKind.Variable, detail: 'index of this declaration' });
  return items;
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

/**
 * `expect compare.arm.shift`: compares, then their arms, then their shifts, as the compare's `arms`/`shifts` list
 * them. After a member (`at[0.9].`) the compare's indices take the written values (`ft[p]` → `ft[0.9]`) and `ft[*]`
 * becomes every member: the text being typed does not parse, so this reads the written lists, not the typed study.
 */
function expectCompletions(analysis: Analysis, before: string): CompletionItem[] {
  const written = /((?:[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\s*\.\s*)*)$/.exec(before)?.[1] ?? '';
  const path = [...written.matchAll(/([A-Za-z_][A-Za-z0-9_]*)(?:\[([^\]]*)\])?/g)].map((m) => ({
    name: m[1]!,
    values: m[2]?.split(',').map((v) => v.trim()),
  }));
  const bound = analysis.bound;
  if (!bound) return [];
  // A number operand: a comparison result or a function call.
  if (path.length === 0) return [...names_(bound.declarations, ['compare'], analysis.families), ...functionItems()];
  const compare = bound.declarations.find((c) => c.kind === 'compare' && c.name === path[0]!.name);
  const declaration = compare?.declaration;
  if (!declaration || !('body' in declaration)) return [];
  const indices = declaration.indices?.items ?? [];
  const scope = new Map(indices.map((index, i) => [index.name.name, path[0]!.values?.[i]]));
  const source = analysis.document.source;
  const substitute = (item: Reference) =>
    item.path.flatMap((segment) => {
      if (!segment.index) return [segment.name];
      if (segment.index.values.some((v) => v.kind === 'Wildcard'))
        return analysis.families.byName.get(segment.name)?.members ?? [segment.name];
      const values = segment.index.values.map((v) => {
        const text = source.slice(v.span.start, v.span.end);
        return scope.get(text) ?? text;
      });
      return [`${segment.name}[${values.join(', ')}]`];
    });
  const listed = (name: string) =>
    declaration.body.attributes
      .find((a) => a.name.name === name)
      ?.values.flatMap((v) => (v.kind === 'List' ? v.items : []))
      .flatMap((item) => (item.kind === 'Reference' ? [substitute(item)] : [])) ?? [];
  if (path.length === 1) return words(listed('arms').flat(), CompletionItemKind.Variable, 'arm');
  if (path.length === 2)
    return words([...new Set(listed('shifts').map((s) => s[0]!))], CompletionItemKind.Variable, 'shift');
  if (path.length === 3 && bound.symbols.get(path[2]!.name)?.kind === 'split')
    return words(SPLIT_PARTS, CompletionItemKind.EnumMember, 'split part');
  return [];
}

/** Every function an `expect` may call, with its signature and docs. */
function functionItems(): CompletionItem[] {
  return expectFunctionNames().map((name) => {
    const definition = expectFunction(name)!;
    return {
      label: name,
      kind: CompletionItemKind.Function,
      detail: describeSignature(definition),
      documentation: { kind: 'markdown', value: describeFunction(definition).join('\n') },
    };
  });
}

/**
 * Inside a call of an `expect` (`accuracy(`, `max(a, `, `worst_group_accuracy(ft, shifted.test, by [`): what the
 * argument at the cursor takes — a trained model, a split (or a support split's part), the attributes of `by [..]`
 * (those the measured data records), or a number. Undefined outside every call.
 */
function callCompletions(analysis: Analysis, before: string, lineStart: number): CompletionItem[] | undefined {
  const open: number[] = [];
  for (let i = 0; i < before.length; i++) {
    if (before[i] === '(' || before[i] === '[') open.push(i);
    else if ((before[i] === ')' || before[i] === ']') && open.length) open.pop();
  }
  const innermost = open.at(-1);
  if (innermost === undefined) return undefined;
  const inBy = before[innermost] === '[' && /\bby\s*$/.test(before.slice(0, innermost));
  const paren = inBy ? open.at(-2) : innermost;
  if (paren === undefined || before[paren] !== '(') return undefined;
  const definition = expectFunction(/([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(before.slice(0, paren))?.[1] ?? '');
  if (!definition) return undefined;
  const args = splitArguments(before.slice(paren + 1, inBy ? innermost : undefined));
  if (inBy) return groupItems(analysis, args[1] ?? '', lineStart);
  const position = args.length - 1;
  const param = definition.params[position] ?? (definition.repeats ? definition.params.at(-1) : undefined);
  const current = args.at(-1)!.trim();
  if (!param) return definition.groups ? [{ label: 'by', kind: CompletionItemKind.Keyword, detail: 'groups' }] : [];
  const declarations = analysis.bound?.declarations ?? [];
  if (param.kind === 'model') return names_(declarations, TRAINED_MODEL_KINDS, analysis.families);
  if (param.kind === 'split') {
    const head = /^([A-Za-z_][A-Za-z0-9_]*)\s*\.$/.exec(current)?.[1];
    if (head === undefined) return names_(declarations, ['distribution', 'data', 'split'], analysis.families);
    if (analysis.bound?.symbols.get(head)?.kind === 'split')
      return words(SPLIT_PARTS, CompletionItemKind.EnumMember, 'split part');
    return words(SPLIT_NAMES, CompletionItemKind.EnumMember, 'split');
  }
  return undefined;
}

/** A call's argument texts, split at the commas outside brackets (the last one is being typed). */
function splitArguments(text: string): string[] {
  const args = [''];
  let depth = 0;
  for (const char of text) {
    if (char === '(' || char === '[') depth++;
    else if (char === ')' || char === ']') depth--;
    if (char === ',' && depth === 0) args.push('');
    else args[args.length - 1] += char;
  }
  return args;
}

/**
 * `by [`: the attributes the measured data records. The line being typed does not parse, so the study is checked
 * without it to learn them (the typed study, when the file checks as it is).
 */
function groupItems(analysis: Analysis, split: string, lineStart: number): CompletionItem[] {
  const source = analysis.document.source;
  const lineEnd = source.indexOf('\n', lineStart);
  const end = lineEnd < 0 ? source.length : lineEnd;
  const typed =
    analysis.typed ??
    checkSource(source.slice(0, lineStart) + ' '.repeat(end - lineStart) + source.slice(end), analysis.file).study;
  const head = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(split)?.[1];
  const data =
    typed?.splits.find((s) => s.name === head)?.shift.to ?? typed?.distributions.find((d) => d.name === head);
  const attributes = data?.attributes ?? ['label'];
  return words(attributes, CompletionItemKind.EnumMember, data ? `attribute of ${data.name}` : 'attribute');
}
