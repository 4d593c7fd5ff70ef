// Declaration families in the editor: the values of each family's indices, which members a written member
// reference stands for (`ft[0.5]`, `reference[p]`, `ft[*]`), and where each index name is declared and used.
// The values come from the checker's own expansion (compiler/families), so the editor names members exactly
// as diagnostics and results.json do.

import type { Declaration, FamilyIndex, Identifier, MemberIndex, Node, Study } from '../../grammar/ast.ts';
import { children } from '../../grammar/visitor.ts';
import type { Binding, BoundStudy } from '../../compiler/check/binder.ts';
import { product, type Expansion } from '../../compiler/families/expand.ts';
import { keyOf, literalOf, memberName, type IndexValue } from '../../compiler/families/values.ts';

export interface Family {
  name: string;
  binding: Binding;
  indices: { index: FamilyIndex; values: IndexValue[] | null }[];
  /** Every member's name, first index slowest (as the checker expands them); empty while an index is unresolved. */
  members: string[];
}

/** A member reference as written (`ft` with its index `[0.5]`) and the members it stands for. */
export interface MemberUse {
  segment: Identifier & { index: MemberIndex };
  family: Family;
  /** One member for literal values; every member for `*` or an index of the enclosing declaration. */
  members: string[];
  /** When the written values name no member: the member that was asked for (`ft[0.95]`). */
  unknown?: string;
  /** The declaration the reference is written in (its indices are in scope). */
  owner: Declaration;
}

/** An index name where it is declared (`p in [..]`) or used (`spurious p`, `reference[p]`). */
export interface IndexUse {
  identifier: Identifier;
  index: FamilyIndex;
  owner: Declaration;
  declaration: boolean;
}

export interface Families {
  byName: Map<string, Family>;
  /** Sorted by offset. */
  members: MemberUse[];
  indexUses: IndexUse[];
}

export const noFamilies: Families = { byName: new Map(), members: [], indexUses: [] };

/** `declared`: each family's declaration by its bare name (the first one; later ones are duplicates). */
export function familiesOf(bound: BoundStudy, declared: Map<string, Binding>, expansion: Expansion | null): Families {
  const study = bound.study;
  if (!study.items.some((item) => item.kind !== 'Attribute' && item.indices)) return noFamilies;
  const byName = new Map<string, Family>();
  for (const binding of declared.values()) {
    const indices = binding.declaration.indices!.items;
    const values = expansion?.indexValues.get(binding.name) ?? [];
    const lists = indices.map((index, i) => ({ index, values: values[i] ?? null }));
    const members = lists.every((l) => l.values)
      ? product(lists.map((l) => l.values!)).map((combination) => memberName(binding.name, combination))
      : [];
    byName.set(binding.name, { name: binding.name, binding, indices: lists, members });
  }
  const members: MemberUse[] = [];
  const indexUses: IndexUse[] = [];
  for (const item of study.items) {
    if (item.kind === 'Attribute') continue;
    const scope = new Map((item.indices?.items ?? []).map((index) => [index.name.name, index]));
    for (const index of scope.values())
      indexUses.push({ identifier: index.name, index, owner: item, declaration: true });
    walk(item, (node) => {
      if (node.kind === 'FamilyIndices') return false;
      if (node.kind === 'Reference' && node.path.length === 1 && !node.path[0]!.index) {
        const index = scope.get(node.path[0]!.name);
        if (index) indexUses.push({ identifier: node.path[0]!, index, owner: item, declaration: false });
      }
      if (node.kind === 'Identifier' && node.index) {
        const family = byName.get(node.name);
        if (family) members.push(memberUse(family, node as MemberUse['segment'], item, scope));
      }
      return true;
    });
  }
  members.sort((a, b) => a.segment.span.start - b.segment.span.start);
  indexUses.sort((a, b) => a.identifier.span.start - b.identifier.span.start);
  return { byName, members, indexUses };
}

function memberUse(
  family: Family,
  segment: MemberUse['segment'],
  owner: Declaration,
  scope: Map<string, FamilyIndex>,
): MemberUse {
  const use = { segment, family, owner, members: [] as string[] };
  const written = segment.index.values;
  if (!family.members.length || written.length !== family.indices.length) return use;
  const choices: IndexValue[][] = [];
  const asked: string[] = [];
  for (const [position, value] of written.entries()) {
    const own = family.indices[position]!.values!;
    const name = value.kind === 'Reference' && value.path.length === 1 ? value.path[0]!.name : undefined;
    if (value.kind === 'Wildcard' || (name !== undefined && scope.has(name))) {
      choices.push(own);
      asked.push(value.kind === 'Wildcard' ? '*' : name!);
      continue;
    }
    const literal = literalOf(value);
    const match = typeof literal === 'string' ? undefined : own.find((v) => keyOf(v) === keyOf(literal));
    asked.push(typeof literal === 'string' ? literal : literal.spelling);
    if (match) choices.push([match]);
    else choices.push([]);
  }
  if (choices.some((choice) => choice.length === 0)) return { ...use, unknown: `${family.name}[${asked.join(', ')}]` };
  return { ...use, members: product(choices).map((combination) => memberName(family.name, combination)) };
}

function walk(node: Node, enter: (node: Node) => boolean): void {
  if (!enter(node)) return;
  for (const child of children(node)) walk(child, enter);
}

/** The member reference whose name or index the offset is on. */
export function memberAt(families: Families, offset: number): MemberUse | undefined {
  return families.members.find((m) => m.segment.span.start <= offset && offset <= m.segment.index.span.end);
}

export function indexUseAt(families: Families, offset: number): IndexUse | undefined {
  return families.indexUses.find((u) => u.identifier.span.start <= offset && offset <= u.identifier.span.end);
}

/** `[p in [0.5, 0.7, 0.9]]` as written, for a family's header. */
export function indicesText(source: string, declaration: Declaration): string {
  const span = declaration.indices?.span;
  return span ? source.slice(span.start, span.end) : '';
}

/** Whether a name is an index of any family (a declaration renamed to it would be shadowed, S-code of expand.ts). */
export function isIndexName(study: Study, name: string): boolean {
  return study.items.some(
    (item) => item.kind !== 'Attribute' && item.indices?.items.some((index) => index.name.name === name),
  );
}
