// Families → member declarations, before binding: `arm ft[p in [0.5, 0.9]] { .. }` becomes `arm ft[0.5] { .. }` and
// `arm ft[0.9] { .. }` with `p` replaced by its value, and every member reference (`reference[p]`, `ft[*]`) by the
// member's name. Every node of a member keeps the family's span, tagged with the member's name (Span.member), so
// every later rule runs per member and its diagnostic points at the family's text (members.ts names the member).
// Names are not part of job hashes, so a member plans exactly as the same declaration written by hand.

import type {
  Declaration,
  Document,
  FamilyIndex,
  Identifier,
  Reference,
  Span,
  Study,
  StudyItem,
  Value,
} from '../../grammar/ast.ts';
import { createDiagnostic, Diagnostics, type Diagnostic } from '../diagnostics/index.ts';
import { closest } from '../check/suggest.ts';
import { describeValues, keyOf, literalOf, memberName, nodeOf, type IndexValue } from './values.ts';

interface Family {
  declaration: Declaration;
  name: string;
  /** Per index, its values; undefined while unresolved, null when they could not be resolved (reported). */
  values: (IndexValue[] | null)[] | undefined;
  resolving: boolean;
}

export interface Expansion {
  document: Document;
  diagnostics: Diagnostic[];
  /** Each member's name → the names of every member of its family (for members.ts). */
  members: Map<string, string[]>;
  /** Each family's name → the values of each of its indices, null where they could not be resolved (the editor's hover and completion read them). */
  indexValues: Map<string, (IndexValue[] | null)[]>;
}

type Scope = Map<string, IndexValue>;

/** The codes family expansion reports (it runs before binding, so it is a pass, not a rule). */
export const familyExpansionReports = [
  Diagnostics.unboundIndex,
  Diagnostics.unknownMember,
  Diagnostics.wrongIndexCount,
  Diagnostics.indexShadowsDeclaration,
  Diagnostics.wildcardOutsideList,
  Diagnostics.emptyIndexList,
  Diagnostics.duplicateIndexValue,
  Diagnostics.nonLiteralIndexValue,
  Diagnostics.familyValuesDiffer,
];

export function expandFamilies(document: Document): Expansion {
  const study = document.study;
  const diagnostics: Diagnostic[] = [];
  const members = new Map<string, string[]>();
  if (!study || !usesFamilies(study)) return { document, diagnostics, members, indexValues: new Map() };

  const declared = new Set(
    study.items.flatMap((item) => ('name' in item && item.kind !== 'Attribute' ? [item.name.name] : [])),
  );
  const families = new Map<string, Family>();
  for (const item of study.items) {
    if (item.kind !== 'Attribute' && item.kind !== 'Expect' && item.indices && !families.has(item.name.name)) {
      families.set(item.name.name, { declaration: item, name: item.name.name, values: undefined, resolving: false });
    }
  }
  const report = (diagnostic: Diagnostic) => diagnostics.push(diagnostic);

  /** The values of each of a declaration's indices: its own list, or the families it references with the index. */
  function resolve(declaration: Declaration, self?: Family): (IndexValue[] | null)[] {
    if (self?.values) return self.values;
    if (self) self.resolving = true;
    const values = declaration.indices!.items.map((index) => {
      if (declared.has(index.name.name)) {
        report(
          createDiagnostic(Diagnostics.indexShadowsDeclaration, index.name.span, [index.name.name], {
            hint: 'rename the index',
          }),
        );
      }
      return index.values ? listed(index) : inferred(declaration, index);
    });
    if (self) [self.values, self.resolving] = [values, false];
    return values;
  }

  function listed(index: FamilyIndex): IndexValue[] | null {
    const list = index.values!;
    const values: IndexValue[] = [];
    let ok = true;
    for (const item of list.items) {
      const value = literalOf(item);
      if (typeof value === 'string') {
        report(createDiagnostic(Diagnostics.nonLiteralIndexValue, item.span, [index.name.name, value]));
        ok = false;
      } else if (values.some((known) => keyOf(known) === keyOf(value))) {
        report(
          createDiagnostic(Diagnostics.duplicateIndexValue, item.span, [index.name.name, value.spelling], {
            hint: 'list each value once',
          }),
        );
        ok = false;
      } else values.push(value);
    }
    if (list.items.length === 0) {
      report(
        createDiagnostic(Diagnostics.emptyIndexList, list.span, [index.name.name], {
          hint: 'list the values it ranges over',
        }),
      );
      ok = false;
    }
    return ok ? values : null;
  }

  /** `shift tint[p]`: p ranges over the values of the families referenced with p, which must all agree. */
  function inferred(declaration: Declaration, index: FamilyIndex): IndexValue[] | null {
    const uses: { family: string; values: IndexValue[] }[] = [];
    walkReferences(declaration, (reference) => {
      for (const segment of reference.path) {
        const family = segment.index && families.get(segment.name);
        if (!family || family.resolving) continue;
        segment.index!.values.forEach((value, position) => {
          if (value.kind !== 'Reference' || value.path.length !== 1 || value.path[0]!.name !== index.name.name) return;
          const values = resolve(family.declaration, family)[position];
          if (values) uses.push({ family: family.name, values });
        });
      }
    });
    const [first, ...rest] = uses;
    if (!first) {
      report(
        createDiagnostic(Diagnostics.unboundIndex, index.name.span, [index.name.name], {
          hint: `give its values (${index.name.name} in [..]) or use it in a member index of a family (reference[${index.name.name}])`,
        }),
      );
      return null;
    }
    const keys = (values: IndexValue[]) => values.map(keyOf).sort().join('\u0000');
    const other = rest.find((use) => keys(use.values) !== keys(first.values));
    if (other) {
      report(
        createDiagnostic(
          Diagnostics.familyValuesDiffer,
          index.name.span,
          [index.name.name, describeValues(first.values), first.family, describeValues(other.values), other.family],
          {
            hint: `give the values here (${index.name.name} in [..]) to take the members both families have`,
          },
        ),
      );
      return null;
    }
    return first.values;
  }

  const items: StudyItem[] = [];
  for (const item of study.items) {
    if (item.kind === 'Attribute' || !item.indices) {
      items.push(item.kind === 'Attribute' ? item : (substitute(item, new Map(), undefined) as Declaration));
      continue;
    }
    const own = item.kind === 'Expect' ? undefined : families.get(item.name.name);
    const values = resolve(item, own?.declaration === item ? own : undefined);
    if (values.some((list) => list === null)) continue;
    const family = item.kind === 'Expect' ? 'expect' : item.name.name;
    const combinations = product(values as IndexValue[][]);
    const names = combinations.map((combination) => memberName(family, combination));
    combinations.forEach((combination, n) => {
      const scope: Scope = new Map(item.indices!.items.map((index, i) => [index.name.name, combination[i]!]));
      const member = substitute(item, scope, names[n]) as Declaration;
      delete member.indices;
      if (member.kind !== 'Expect' && item.kind !== 'Expect') {
        member.name = {
          kind: 'Identifier',
          name: names[n]!,
          span: tag(cover(item.name.span, item.indices!.span), names[n]),
        };
      }
      members.set(names[n]!, names);
      items.push(member);
    });
  }

  /** A deep copy of `node` for one member (or for a plain declaration: scope empty, no tag). */
  function substitute(node: unknown, scope: Scope, member: string | undefined): unknown {
    const copy = (value: unknown, key?: string): unknown => {
      if (key === 'span') return tag(value as Span, member);
      // Only a list's items may stand for several members (`arms [ft[*]]`).
      if (Array.isArray(value))
        return value.flatMap((item) => (isReference(item) ? reference(item, key === 'items') : [copy(item)]));
      if (value === null || typeof value !== 'object') return value;
      if (isReference(value)) return reference(value, false)[0];
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) if (k !== 'indices' || member === undefined) out[k] = copy(v, k);
      return out;
    };

    /** A reference with the index replaced and member indices resolved; several for `ft[*]` in a list. */
    function reference(ref: Reference, many: boolean): Value[] {
      const span = tag(ref.span, member);
      const head = ref.path[0]!;
      const bound = !head.index ? scope.get(head.name) : undefined;
      if (bound && ref.path.length === 1) return [nodeOf(bound, span)];
      let paths: Identifier[][] = [[]];
      ref.path.forEach((segment, position) => {
        const names = position === 0 && bound?.kind === 'name' ? [bound.value as string] : segmentNames(segment, many);
        const segmentSpan = tag(segment.span, member);
        paths = paths.flatMap((path) =>
          names.map((name) => [...path, { kind: 'Identifier' as const, name, span: segmentSpan }]),
        );
      });
      return paths.map((path) => ({ kind: 'Reference', path, span }));
    }

    /** The member names a segment stands for: itself without an index, one member, or every member for `*`. */
    function segmentNames(segment: Identifier, many: boolean): string[] {
      const index = segment.index;
      if (!index) return [segment.name];
      const family = families.get(segment.name);
      const values = family && resolve(family.declaration, family);
      if (!family || !values) {
        if (declared.has(segment.name)) {
          report(
            createDiagnostic(Diagnostics.wrongIndexCount, index.span, [segment.name, 0, index.values.length], {
              hint: `'${segment.name}' is not a family`,
            }),
          );
        }
        return [segment.name];
      }
      if (values.some((list) => list === null)) return [segment.name];
      const lists = values as IndexValue[][];
      if (index.values.length !== lists.length) {
        report(
          createDiagnostic(Diagnostics.wrongIndexCount, index.span, [segment.name, lists.length, index.values.length]),
        );
        return [segment.name];
      }
      const choices: IndexValue[][] = [];
      for (const [position, written] of index.values.entries()) {
        const own = lists[position]!;
        if (written.kind === 'Wildcard') {
          if (!many) {
            report(createDiagnostic(Diagnostics.wildcardOutsideList, index.span, [segment.name]));
            return [segment.name];
          }
          choices.push(own);
          continue;
        }
        const name = written.kind === 'Reference' && written.path.length === 1 ? written.path[0]!.name : undefined;
        let value = name !== undefined ? scope.get(name) : undefined;
        if (!value && name !== undefined && !own.some((candidate) => candidate.kind === 'name')) {
          report(
            createDiagnostic(Diagnostics.unboundIndex, written.span, [name], {
              hint: `'${name}' is not an index of this declaration`,
            }),
          );
          return [segment.name];
        }
        value ??= literalOf(written) as IndexValue;
        const match = own.find((candidate) => keyOf(candidate) === keyOf(value));
        if (!match) {
          const wanted = memberName(
            segment.name,
            index.values.map((v, i) => (i === position ? value : (literalOf(v) as IndexValue))),
          );
          const all = product(lists).map((combination) => memberName(segment.name, combination));
          // A number is closest to the nearest value, not the nearest spelling (0.95 → 0.9, not 0.5).
          const numbers = value.kind === 'number' ? own.filter((candidate) => candidate.kind === 'number') : [];
          const nearest = numbers.sort(
            (a, b) => Math.abs(+a.value - +value.value) - Math.abs(+b.value - +value.value),
          )[0];
          const suggestion = nearest
            ? memberName(
                segment.name,
                index.values.map((v, i) => (i === position ? nearest : (literalOf(v) as IndexValue))),
              )
            : closest(wanted, all);
          report(
            createDiagnostic(Diagnostics.unknownMember, written.span, [wanted, segment.name], {
              hint: suggestion ? `did you mean '${suggestion}'?` : `its members: ${all.join(', ')}`,
            }),
          );
          return [segment.name];
        }
        choices.push([match]);
      }
      return product(choices).map((combination) => memberName(segment.name, combination));
    }

    return copy(node);
  }

  const expanded: Study = { ...study, items };
  const indexValues = new Map([...families].map(([name, family]) => [name, family.values ?? []]));
  return { document: { ...document, study: expanded }, diagnostics, members, indexValues };
}

function isReference(value: unknown): value is Reference {
  return typeof value === 'object' && value !== null && (value as Reference).kind === 'Reference';
}

function tag(span: Span, member: string | undefined): Span {
  return member === undefined ? span : { ...span, member };
}

function cover(from: Span, to: Span): Span {
  return { ...from, end: to.end, endLine: to.endLine, endColumn: to.endColumn };
}

/** Every combination, first index slowest: [[0.5, 0.1], [0.5, 0.25], [0.9, 0.1], ...]. */
export function product<T>(lists: readonly T[][]): T[][] {
  return lists.reduce<T[][]>(
    (combinations, list) => combinations.flatMap((c) => list.map((item) => [...c, item])),
    [[]],
  );
}

/** Whether the study has any family or member index; a study without them is passed on untouched. */
function usesFamilies(study: Study): boolean {
  let found = false;
  walkReferences(study, (reference) => {
    if (reference.path.some((segment) => segment.index)) found = true;
  });
  return found || study.items.some((item) => item.kind !== 'Attribute' && item.indices !== undefined);
}

function walkReferences(node: unknown, visit: (reference: Reference) => void): void {
  if (Array.isArray(node)) return node.forEach((item) => walkReferences(item, visit));
  if (node === null || typeof node !== 'object') return;
  if (isReference(node)) visit(node);
  for (const [key, value] of Object.entries(node)) if (key !== 'span') walkReferences(value, visit);
}
