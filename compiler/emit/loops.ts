// Families in a compiled script: the members of `arm ft[p in [0.5, 0.7, 0.9]]` are builder calls that differ only
// in p, so the script writes one call in a loop over the values instead of a copy per member (a grid
// `g[p in [..], s in [..]]`: nested loops, first index outermost); likewise the members of `model net[w in [8, 16]]`
// are specs that differ only in w, built in one loop into the family's record. The loop's body is found by comparing the
// members' arguments (or specs) position by position (anti-unification): a position where the members differ must be an
// index value itself, a string that spells the member's indices (`g[0.5, 1]`), or a member of another family at
// index values of this one (`reference[p]`, `g[p, 2]`); anything else, and the members stay written out one by one.
import type { Document } from '../../grammar/ast.ts';
import type { SourceRef } from '../../runtime/plan.ts';
import type { TypedStudy } from '../check/typed.ts';
import type { BuilderCall } from './record.ts';

/** The members of one family, in member order (the product of its indices' values). */
export interface FamilyShape {
  /** The family's name (`ft`; `expect` for a family of claims) and its indices' names (`p`, `s`). */
  family: string;
  indices: string[];
  /** Each index's values, as its loop iterates them. */
  axes: (number | string)[][];
  /** Each member's index values, and as spelled in its name (`['0.5', '1']`). */
  values: (number | string)[][];
  spellings: string[][];
}

/** A run of builder calls that are the members of one family. */
export interface FamilyRun extends FamilyShape {
  calls: BuilderCall[];
}

/** `line:column` of each family declaration → its indices' names. */
export type IndexNames = Map<string, string[]>;

/** Where a member of another family sits: each of its index positions is one of this loop's indices or fixed. */
export type MemberKey = ({ index: number } | { fixed: string })[];

/** A position where members differ, as the loop body writes it. */
export type Hole =
  | { hole: 'index'; index: number }
  /** A string spelling index values: text, and where each index's value goes. */
  | { hole: 'text'; segments: (string | { index: number })[] }
  | { hole: 'member'; family: string; key: MemberKey; handles: unknown[] };

export const isHole = (value: unknown): value is Hole =>
  typeof value === 'object' && value !== null && 'hole' in value && Object.keys(value).length <= 4;

/** `ft[0.5]` → { family: 'ft', spellings: ['0.5'] }; `g[0.5, 1]` → { family: 'g', spellings: ['0.5', '1'] }. */
export function splitMember(name: string): { family: string; spellings: string[] } | null {
  const match = /^([^[\]]+)\[([^[\]]+)\]$/.exec(name);
  return match ? { family: match[1]!, spellings: match[2]!.split(', ') } : null;
}

/** The runs of `calls` that are families: consecutive calls of one method at one family declaration. */
export function familyRuns(
  calls: readonly BuilderCall[],
  typed: TypedStudy,
  indexNames: IndexNames,
): Map<number, FamilyRun> {
  const expectMembers = typed.expects.map((expect) => expect.span.member);
  let expectCount = 0;
  const memberOf = (call: BuilderCall): string | undefined =>
    call.method === 'expect' ? expectMembers[expectCount++] : String(call.args[0]);
  const entries = calls.map((call) => ({
    call,
    at: call.args.at(-1) as SourceRef | undefined,
    member: memberOf(call),
  }));
  const runs = new Map<number, FamilyRun>();
  for (let start = 0; start < entries.length;) {
    const { call, at } = entries[start]!;
    let end = start + 1;
    const same = (other: (typeof entries)[number]) =>
      other.call.method === call.method && at && other.at?.line === at.line && other.at.column === at.column;
    while (end < entries.length && same(entries[end]!)) end++;
    const shape =
      at &&
      familyShape(
        entries.slice(start, end).map((entry) => entry.member),
        indexNames.get(`${at.line}:${at.column}`),
      );
    if (shape) runs.set(start, { ...shape, calls: calls.slice(start, end) });
    start = end;
  }
  return runs;
}

/**
 * The family that members named `names` (declared together, with indices `indices`) make, or null when they are
 * not several members of one family in the order nested loops make them.
 */
export function familyShape(names: readonly (string | undefined)[], indices: string[] | undefined): FamilyShape | null {
  const members = names.map((name) => (name ? splitMember(name) : null));
  const family = members[0]?.family;
  if (
    names.length < 2 ||
    !indices ||
    !members.every((member) => member && member.family === family && member.spellings.length === indices.length)
  )
    return null;
  const spellings = members.map((member) => member!.spellings);
  const values = spellings.map((spelled) => spelled.map(loopValue));
  const axes = indices.map((_, k) => [...new Map(values.map((member) => [String(member[k]), member[k]!])).values()]);
  // The loop spells each value as JavaScript does (`${p}`): only then are member names the same. The members
  // must be every combination, first index slowest, as nested loops make them.
  const spelledAsJs = values.every((member, i) => member.every((value, k) => String(value) === spellings[i]![k]));
  const combinations = product(axes).map((combination) => combination.join('\u0000'));
  const inOrder =
    combinations.length === values.length && values.every((member, i) => member.join('\u0000') === combinations[i]);
  return spelledAsJs && inOrder ? { family: family!, indices, axes, values, spellings } : null;
}

function product<T>(lists: readonly T[][]): T[][] {
  return lists.reduce<T[][]>(
    (combinations, list) => combinations.flatMap((c) => list.map((item) => [...c, item])),
    [[]],
  );
}

/** A number spelled as a number is one; any other value (a name, a string) is its text. */
export function loopValue(spelling: string): number | string {
  return /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(spelling) ? Number(spelling) : spelling;
}

/** `line:column` of each family declaration → its indices' names. */
export function familyIndexNames(document: Document): IndexNames {
  const names = new Map<string, string[]>();
  for (const item of document.study?.items ?? []) {
    if (item.kind === 'Attribute' || !item.indices?.items.length) continue;
    names.set(
      `${item.span.line}:${item.span.column}`,
      item.indices.items.map((index) => index.name.name),
    );
  }
  return names;
}

/**
 * The members' values (a call's arguments, a declaration's spec) as one template, or null when they differ in a
 * way a loop cannot write. `memberOf` says which family member a handle is (family name and index spellings), if
 * it is one.
 */
export function unify<T>(
  shape: FamilyShape,
  members: readonly T[],
  memberOf: (handle: unknown) => { family: string; spellings: string[] } | undefined,
  isHandle: (value: unknown) => boolean,
): T | null {
  const failed = Symbol('differs');
  /** Where another family's members sit among this loop's indices, if each position is an index or fixed. */
  const memberKey = (members: ({ family: string; spellings: string[] } | undefined)[]): MemberKey | null => {
    const [first] = members;
    if (!first || members.some((m) => !m || m.family !== first.family || m.spellings.length !== first.spellings.length))
      return null;
    const key: MemberKey = [];
    for (const [position, spelling] of first.spellings.entries()) {
      const column = members.map((m) => m!.spellings[position]!);
      if (column.every((value) => value === spelling)) {
        key.push({ fixed: spelling });
        continue;
      }
      const index = shape.indices.findIndex((_, k) => column.every((value, i) => value === shape.spellings[i]![k]));
      if (index < 0) return null;
      key.push({ index });
    }
    return key;
  };
  /**
   * Strings that spell members (`g[0.5, 1]`, `c[0.5].g[0.5, 1].tint[0.5] > -1`): the same text outside brackets,
   * and inside each bracket values that are fixed or one of this loop's indices.
   */
  const textTemplate = (texts: string[]): (string | { index: number })[] | null => {
    const split = texts.map((text) => text.split(/\[([^[\]]*)\]/));
    const [first] = split;
    if (first!.length < 2 || split.some((parts) => parts.length !== first!.length)) return null;
    const segments: (string | { index: number })[] = [];
    for (const [k, part] of first!.entries()) {
      const column = split.map((parts) => parts[k]!);
      if (k % 2 === 0) {
        if (column.some((text) => text !== part)) return null;
        segments.push(part);
        continue;
      }
      const key = memberKey(column.map((inside) => ({ family: '', spellings: inside.split(', ') })));
      if (!key) return null;
      segments.push('[', ...key.flatMap((at, n) => [...(n ? [', '] : []), 'index' in at ? at : at.fixed]), ']');
    }
    return segments;
  };
  const join = (values: unknown[]): unknown => {
    const [first] = values;
    if (values.every((value) => value === first)) return first;
    const index = shape.indices.findIndex((_, k) => values.every((value, i) => value === shape.values[i]![k]));
    if (index >= 0) return { hole: 'index', index } satisfies Hole;
    if (values.every((value) => typeof value === 'string')) {
      const segments = textTemplate(values as string[]);
      return segments ? ({ hole: 'text', segments } satisfies Hole) : failed;
    }
    const members = values.map(memberOf);
    const key = members.every(Boolean) ? memberKey(members) : null;
    if (key) return { hole: 'member', family: members[0]!.family, key, handles: values } satisfies Hole;
    if (values.some((value) => typeof value !== 'object' || value === null || isHandle(value))) return failed;
    if (values.every(Array.isArray)) {
      const lists = values as unknown[][];
      if (lists.some((list) => list.length !== lists[0]!.length)) return failed;
      const items = lists[0]!.map((_, k) => join(lists.map((list) => list[k])));
      return items.includes(failed) ? failed : items;
    }
    if (values.some(Array.isArray)) return failed;
    const records = values as Record<string, unknown>[];
    const keys = Object.keys(records[0]!);
    if (records.some((record) => Object.keys(record).join() !== keys.join())) return failed;
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const value = join(records.map((record) => record[key]));
      if (value === failed) return failed;
      out[key] = value;
    }
    return out;
  };
  const template = join([...members]);
  // Of the members' type, holes where they differ.
  return template === failed ? null : (template as T);
}

/** Whether a value holds a hole anywhere (it cannot then be hoisted as one shared constant). */
export function containsHole(value: unknown): boolean {
  if (isHole(value)) return true;
  if (Array.isArray(value)) return value.some(containsHole);
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value).some(containsHole);
}
