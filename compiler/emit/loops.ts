// Families in a compiled script: the members of `arm ft[p in [0.5, 0.7, 0.9]]` are builder calls that differ only
// in p, so the script writes one call in a loop over the values instead of a copy per member. The loop's body
// is found by comparing the members' arguments position by position (anti-unification): a position where the
// members differ must be the index value itself, a string that spells it (`ft[0.5]`), or a member of another
// family at the same value (`reference[p]`); anything else, and the members stay written out one by one.
import { parse } from '../../grammar/index.ts';
import type { SourceRef } from '../../runtime/plan.ts';
import type { TypedStudy } from '../check/typed.ts';
import type { BuilderCall } from './record.ts';

/** A run of calls that are the members of one single-index family, in member order. */
export interface FamilyRun {
  calls: BuilderCall[];
  /** The family's name (`ft`; `expect` for a family of claims) and its index's name (`p`). */
  family: string;
  index: string;
  /** Each member's index value, as the loop iterates it. */
  values: (number | string)[];
  /** Each member's index value as spelled in its name (`0.5`). */
  spellings: string[];
}

/** A position where members differ, as the loop body writes it. */
export type Hole =
  { hole: 'index' } | { hole: 'text'; parts: string[] } | { hole: 'member'; family: string; handles: unknown[] };

export const isHole = (value: unknown): value is Hole =>
  typeof value === 'object' && value !== null && 'hole' in value && Object.keys(value).length <= 3;

/** `ft[0.5]` → { family: 'ft', spelling: '0.5' }: single-index members only. */
export function splitMember(name: string): { family: string; spelling: string } | null {
  const match = /^([^[\]]+)\[([^,[\]]+)\]$/.exec(name);
  return match ? { family: match[1]!, spelling: match[2]! } : null;
}

/** The runs of `calls` that are families: consecutive calls of one method at one family declaration. */
export function familyRuns(calls: readonly BuilderCall[], typed: TypedStudy, source: string): Map<number, FamilyRun> {
  const indexNames = familyIndexNames(source, typed.file);
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
    const members = entries.slice(start, end).map((entry) => (entry.member ? splitMember(entry.member) : null));
    const index = at && indexNames.get(`${at.line}:${at.column}`);
    if (end - start > 1 && index && members.every((member) => member && member.family === members[0]!.family)) {
      const spellings = members.map((member) => member!.spelling);
      const values = spellings.map(loopValue);
      // The loop spells each value as JavaScript does (`${p}`): only then are member names the same.
      if (values.every((value, i) => String(value) === spellings[i]))
        runs.set(start, { calls: calls.slice(start, end), family: members[0]!.family, index, values, spellings });
    }
    start = end;
  }
  return runs;
}

/** A number spelled as a number is one; any other value (a name, a string) is its text. */
function loopValue(spelling: string): number | string {
  return /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(spelling) ? Number(spelling) : spelling;
}

/** `line:column` of each single-index family declaration → its index's name. */
function familyIndexNames(source: string, file: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const item of parse(source, file).document.study?.items ?? []) {
    if (item.kind === 'Attribute' || item.indices?.items.length !== 1) continue;
    names.set(`${item.span.line}:${item.span.column}`, item.indices.items[0]!.name.name);
  }
  return names;
}

/**
 * The members' arguments as one template, or null when they differ in a way a loop cannot write. `memberOf`
 * says which family member a handle is (family name and index spelling), if it is one.
 */
export function unify(
  run: FamilyRun,
  argsOf: (call: BuilderCall) => unknown[],
  memberOf: (handle: unknown) => { family: string; spelling: string } | undefined,
  isHandle: (value: unknown) => boolean,
): unknown[] | null {
  const failed = Symbol('differs');
  const join = (values: unknown[]): unknown => {
    const [first] = values;
    if (values.every((value) => value === first)) return first;
    if (values.every((value, i) => value === run.values[i])) return { hole: 'index' } satisfies Hole;
    if (values.every((value) => typeof value === 'string')) {
      const parts = (values[0] as string).split(run.spellings[0]!);
      const same = values.every((value, i) => {
        const own = (value as string).split(run.spellings[i]!);
        return own.length === parts.length && own.every((part, k) => part === parts[k]);
      });
      return parts.length > 1 && same ? ({ hole: 'text', parts } satisfies Hole) : failed;
    }
    const members = values.map(memberOf);
    if (
      members.every(
        (member, i) => member && member.family === members[0]!.family && member.spelling === run.spellings[i],
      )
    )
      return { hole: 'member', family: members[0]!.family, handles: values } satisfies Hole;
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
  const template = join(run.calls.map(argsOf));
  return template === failed ? null : (template as unknown[]);
}

/** Whether a value holds a hole anywhere (it cannot then be hoisted as one shared constant). */
export function containsHole(value: unknown): boolean {
  if (isHole(value)) return true;
  if (Array.isArray(value)) return value.some(containsHole);
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value).some(containsHole);
}
