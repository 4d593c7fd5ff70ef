// The structural diff: declarations matched by kind and name, renames found by equal content, then
// attribute-level changes. Nothing here looks at text layout, comments or declaration order.
import type { Document } from '../../grammar/ast.ts';
import type { TypedStudy } from '../check/typed.ts';
import { studyContent, type DeclarationContent, type DeclarationKind, type StudyContent } from './content.ts';

export interface AttributeChange {
  attribute: string;
  /** As written in the old / new source; null when the attribute has no value on that side. */
  old: string | null;
  new: string | null;
}

export type Change =
  | { type: 'added'; kind: DeclarationKind; name: string; line: number }
  | { type: 'removed'; kind: DeclarationKind; name: string; line: number }
  | { type: 'renamed'; kind: DeclarationKind; name: string; newName: string; line: number }
  | { type: 'changed'; kind: DeclarationKind; name: string; newName?: string; line: number; attributes: AttributeChange[] };

export interface StructuralDiff {
  changes: Change[];
  /** Old name → new name, for every renamed declaration. */
  renames: Map<string, string>;
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
  const matched = new Set<string>();
  for (const before of old.declarations) {
    const renamedTo = renames.get(before.name);
    // The study keeps its identity whatever it is called.
    const after = before.kind === 'study' ? next.declarations.find((d) => d.kind === 'study')! : newByIdentity.get(`${before.kind}:${renamedTo ?? before.name}`);
    if (!after) {
      changes.push({ type: 'removed', kind: before.kind, name: before.name, line: before.line });
      continue;
    }
    matched.add(identityOf(after));
    const attributes = attributeChanges(before, after);
    const newName = after.name !== before.name && before.kind !== 'expect' ? after.name : undefined;
    if (attributes.length) changes.push({ type: 'changed', kind: before.kind, name: before.name, ...(newName ? { newName } : {}), line: after.line, attributes });
    else if (newName) changes.push({ type: 'renamed', kind: before.kind, name: before.name, newName, line: after.line });
  }
  for (const after of next.declarations) {
    if (!matched.has(identityOf(after))) changes.push({ type: 'added', kind: after.kind, name: after.name, line: after.line });
  }
  pairChangedExpectations(changes, old, next);
  return { changes, renames, old, new: next };
}

/** Pairs a removed and an added declaration of the same kind with equal bodies. Returns whether it found any. */
function findRenames(old: StudyContent, next: StudyContent, renames: Map<string, string>): boolean {
  const oldNames = new Set(old.declarations.map(identityOf));
  const newNames = new Set(next.declarations.map(identityOf));
  const taken = new Set(renames.values());
  let found = false;
  for (const before of old.declarations) {
    if (before.kind === 'expect' || before.kind === 'study' || renames.has(before.name) || newNames.has(identityOf(before))) continue;
    const after = next.declarations.find((d) => d.kind === before.kind && !oldNames.has(identityOf(d)) && !taken.has(d.name) && bodyOf(d) === bodyOf(before));
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
 * removed and an added expectation that read the same results into one change of its expression.
 */
function pairChangedExpectations(changes: Change[], old: StudyContent, next: StudyContent): void {
  const pathsOf = (content: StudyContent, name: string) => {
    const index = content.declarations.filter((d) => d.kind === 'expect').findIndex((d) => d.name === name);
    const expect = content.study.expects[index];
    return expect ? expect.paths.map((p) => `${p.compare}.${p.arm}.${p.target}`).join(',') : '';
  };
  for (const removed of changes.filter((c) => c.type === 'removed' && c.kind === 'expect')) {
    const addedIndex = changes.findIndex((c) => c.type === 'added' && c.kind === 'expect' && pathsOf(next, c.name) === pathsOf(old, removed.name));
    if (addedIndex < 0) continue;
    const added = changes[addedIndex]!;
    const text = (content: StudyContent, name: string) => content.declarations.find((d) => d.kind === 'expect' && d.name === name)!.attributes.get('expression')!.text;
    const paired: Change = { type: 'changed', kind: 'expect', name: text(old, removed.name), line: added.line, attributes: [{ attribute: 'expression', old: text(old, removed.name), new: text(next, added.name) }] };
    changes.splice(changes.indexOf(removed), 1, paired);
    changes.splice(changes.indexOf(added), 1);
  }
}
