// The structural diff: declarations matched by kind and name, renames found by equal content, then
// attribute-level changes. Nothing here looks at text layout, comments or declaration order.
import type { Document } from '../../grammar/ast.ts';
import type { TypedStudy } from '../check/typed.ts';
import { familyOf, studyContent, type DeclarationContent, type DeclarationKind, type StudyContent } from './content.ts';

export interface AttributeChange {
  attribute: string;
  /** As written in the old / new source; null when the attribute has no value on that side. */
  old: string | null;
  new: string | null;
}

export type Change =
  | { type: 'added'; kind: DeclarationKind; name: string; line: number }
  | { type: 'removed'; kind: DeclarationKind; name: string; line: number }
  | { type: 'renamed'; kind: DeclarationKind; name: string; newName: string; line: number; members?: string[] }
  | {
      type: 'changed';
      kind: DeclarationKind;
      name: string;
      newName?: string;
      line: number;
      attributes: AttributeChange[];
      /** On a change to a family's declaration: the members it changes (all of them, alike). */
      members?: string[];
    };

export interface StructuralDiff {
  changes: Change[];
  /** Old name → new name, for every renamed declaration. */
  renames: Map<string, string>;
  /** The declarations each change is about, on either side. */
  sides: Map<Change, { before?: DeclarationContent; after?: DeclarationContent }>;
  old: StudyContent;
  new: StudyContent;
}

export interface CheckedSide {
  study: TypedStudy;
  document: Document;
}

const identityOf = (d: DeclarationContent) => `${d.kind}:${d.name}`;
const bodyOf = (d: DeclarationContent) => [...d.attributes].map(([name, a]) => `${name}=${a.key}`).join('\n');

export function structuralDiff(oldSide: CheckedSide, newSide: CheckedSide): StructuralDiff {
  const next = studyContent(newSide.study, newSide.document);
  const renames = new Map<string, string>();
  // A rename can make another one visible (`reference` → `ref` makes `flipped = ref | vflip` equal to its
  // old body), so look again until nothing new turns up.
  let old = studyContent(oldSide.study, oldSide.document);
  for (;;) {
    const found = findRenames(old, next, renames);
    if (!found) break;
    old = studyContent(oldSide.study, oldSide.document, (name) => renames.get(name) ?? name);
  }
  const newByIdentity = new Map(next.declarations.map((d) => [identityOf(d), d]));
  const changes: Change[] = [];
  const sides: StructuralDiff['sides'] = new Map();
  const record = (change: Change, before?: DeclarationContent, after?: DeclarationContent) => {
    changes.push(change);
    sides.set(change, { ...(before ? { before } : {}), ...(after ? { after } : {}) });
  };
  const display = (d: DeclarationContent) => (d.kind === 'expect' ? d.attributes.get('expression')!.text : d.name);
  const matched = new Set<string>();
  for (const before of old.declarations) {
    const renamedTo = renames.get(before.name);
    // The study keeps its identity whatever it is called.
    const after =
      before.kind === 'study'
        ? next.declarations.find((d) => d.kind === 'study')!
        : newByIdentity.get(`${before.kind}:${renamedTo ?? before.name}`);
    if (!after) {
      record({ type: 'removed', kind: before.kind, name: display(before), line: before.line }, before);
      continue;
    }
    matched.add(identityOf(after));
    const attributes = attributeChanges(before, after);
    const newName = after.name !== before.name && before.kind !== 'expect' ? after.name : undefined;
    if (attributes.length)
      record(
        {
          type: 'changed',
          kind: before.kind,
          name: display(before),
          ...(newName ? { newName } : {}),
          line: after.line,
          attributes,
        },
        before,
        after,
      );
    else if (newName)
      record({ type: 'renamed', kind: before.kind, name: before.name, newName, line: after.line }, before, after);
  }
  for (const after of next.declarations) {
    if (!matched.has(identityOf(after)))
      record({ type: 'added', kind: after.kind, name: display(after), line: after.line }, undefined, after);
  }
  pairChangedExpectations(changes, sides);
  groupFamilyChanges(changes, sides, old, next);
  return { changes, renames, sides, old, new: next };
}

/** Pairs a removed and an added declaration of the same kind with equal bodies. Returns whether it found any. */
function findRenames(old: StudyContent, next: StudyContent, renames: Map<string, string>): boolean {
  const oldNames = new Set(old.declarations.map(identityOf));
  const newNames = new Set(next.declarations.map(identityOf));
  const taken = new Set(renames.values());
  let found = false;
  for (const before of old.declarations) {
    if (
      before.kind === 'expect' ||
      before.kind === 'study' ||
      renames.has(before.name) ||
      newNames.has(identityOf(before))
    )
      continue;
    const after = next.declarations.find(
      (d) =>
        d.kind === before.kind && !oldNames.has(identityOf(d)) && !taken.has(d.name) && bodyOf(d) === bodyOf(before),
    );
    if (after) {
      renames.set(before.name, after.name);
      taken.add(after.name);
      found = true;
    }
  }
  return found;
}

function attributeChanges(before: DeclarationContent, after: DeclarationContent): AttributeChange[] {
  const names = [...new Set([...before.attributes.keys(), ...after.attributes.keys()])];
  return names.flatMap((attribute) => {
    const a = before.attributes.get(attribute);
    const b = after.attributes.get(attribute);
    if (a?.key === b?.key) return [];
    return [{ attribute, old: a?.text ?? null, new: b?.text ?? null }];
  });
}

/**
 * Expectations have no names: one that reads a different threshold shows up as removed + added. Pair a
 * removed and an added expectation that read the same results (after renames) into one change.
 */
function pairChangedExpectations(changes: Change[], sides: StructuralDiff['sides']): void {
  const results = (d: DeclarationContent | undefined) => d?.attributes.get('results')?.key;
  for (const removed of changes.filter((c) => c.type === 'removed' && c.kind === 'expect')) {
    const before = sides.get(removed)!.before!;
    const added = changes.find(
      (c) => c.type === 'added' && c.kind === 'expect' && results(sides.get(c)!.after) === results(before),
    );
    if (!added) continue;
    const after = sides.get(added)!.after!;
    const expression = (d: DeclarationContent) => d.attributes.get('expression')!.text;
    const paired: Change = {
      type: 'changed',
      kind: 'expect',
      name: expression(before),
      line: after.line,
      attributes: [{ attribute: 'expression', old: expression(before), new: expression(after) }],
    };
    changes.splice(changes.indexOf(removed), 1, paired);
    changes.splice(changes.indexOf(added), 1);
    sides.set(paired, { before, after });
  }
}

/**
 * An edit to a family's declaration changes every member alike (the members share its text): one change for the
 * family, named as declared (`ft[p]`) and listing its members, instead of one line per member. Members that
 * change differently (or only some of them) stay one change each.
 */
function groupFamilyChanges(
  changes: Change[],
  sides: StructuralDiff['sides'],
  old: StudyContent,
  next: StudyContent,
): void {
  const rangeKey = (d: DeclarationContent | undefined) => (d?.range ? `${d.range.start}-${d.range.end}` : '');
  type MemberChange = Extract<Change, { type: 'changed' | 'renamed' }>;
  const groups = new Map<string, MemberChange[]>();
  for (const change of changes) {
    if (change.type !== 'changed' && change.type !== 'renamed') continue;
    const { before, after } = sides.get(change)!;
    if (before?.member === undefined || after?.member === undefined) continue;
    const what = change.type === 'changed' ? change.attributes : familyOf(change.newName);
    const key = JSON.stringify([change.kind, rangeKey(before), rangeKey(after), what]);
    groups.set(key, [...(groups.get(key) ?? []), change]);
  }
  const membersAt = (content: StudyContent, like: DeclarationContent) =>
    content.declarations.filter(
      (d) => d.kind === like.kind && d.member !== undefined && rangeKey(d) === rangeKey(like),
    );
  for (const group of groups.values()) {
    const [first] = group as [MemberChange, ...MemberChange[]];
    const { before, after } = sides.get(first)!;
    const family = membersAt(next, after!);
    if (group.length < 2 || group.length !== family.length || group.length !== membersAt(old, before!).length) continue;
    const members = group.map((change) => sides.get(change)!.after!.member!);
    const label = (side: StudyContent, content: DeclarationContent) =>
      content.kind === 'expect' ? content.name : familyLabel(side.document, content.range!.start, content.name);
    const merged: Change =
      first.type === 'changed'
        ? {
            ...first,
            name: first.kind === 'expect' ? first.name : label(old, before!),
            ...(first.newName ? { newName: label(next, after!) } : {}),
            members,
          }
        : { ...first, name: label(old, before!), newName: label(next, after!), members };
    changes.splice(changes.indexOf(first), 1, merged);
    for (const change of group.slice(1)) {
      changes.splice(changes.indexOf(change), 1);
      sides.delete(change);
    }
    sides.set(merged, sides.get(first)!);
    sides.delete(first);
  }
}

/** A family as its declaration names it, with its indices (`ft[p]`, `g[p, s]`). */
function familyLabel(document: Document, start: number, member: string): string {
  const declaration = document.study?.items.find((item) => item.kind !== 'Attribute' && item.span.start === start);
  const indices = declaration?.kind === 'Attribute' ? undefined : declaration?.indices?.items;
  return indices ? `${familyOf(member)}[${indices.map((index) => index.name.name).join(', ')}]` : member;
}
