// The values an index ranges over: literals (numbers, percentages, strings, bare names), compared by value so
// that `ft[0.50]` finds the member `ft[0.5]`, and spelled as the family's list spells them in member names.

import type { MemberValue, Span, Value } from '../../grammar/ast.ts';

export interface IndexValue {
  kind: 'number' | 'percent' | 'string' | 'name';
  value: number | string;
  /** As the family's list writes it; member names use it (`ft[0.5]`). */
  spelling: string;
}

/** Equal values share a key: `0.5` and `0.50`, but not `50%` and `0.5`. */
export function keyOf(value: IndexValue): string {
  return `${value.kind}:${value.value}`;
}

/** A list item or member index position as a value, or a description of why it is not one. */
export function literalOf(node: Value | MemberValue): IndexValue | string {
  switch (node.kind) {
    case 'Number':
      return { kind: 'number', value: node.value, spelling: node.raw };
    case 'Percent':
      return { kind: 'percent', value: node.value, spelling: node.raw };
    case 'String':
      return { kind: 'string', value: node.value, spelling: node.raw };
    case 'Reference': {
      const [head, ...rest] = node.path;
      if (rest.length === 0 && !head!.index) return { kind: 'name', value: head!.name, spelling: head!.name };
      return head!.index ? 'a member reference' : 'a dotted name';
    }
    case 'List':
      return 'a list';
    case 'Range':
      return 'a range';
    case 'Wildcard':
      return "'*'";
    default:
      return 'a call or chain';
  }
}

/** The node a value stands for where the index is written (its span). */
export function nodeOf(value: IndexValue, span: Span): Value {
  switch (value.kind) {
    case 'number':
      return { kind: 'Number', value: value.value as number, raw: value.spelling, span };
    case 'percent':
      return { kind: 'Percent', value: value.value as number, raw: value.spelling, span };
    case 'string':
      return { kind: 'String', value: value.value as string, raw: value.spelling, span };
    case 'name':
      return { kind: 'Reference', path: [{ kind: 'Identifier', name: value.value as string, span }], span };
  }
}

/** `ft[0.5]`, `g[0.5, 0.1]`: how a member is named everywhere a user sees it. */
export function memberName(family: string, values: readonly IndexValue[]): string {
  return `${family}[${values.map((value) => value.spelling).join(', ')}]`;
}

export function describeValues(values: readonly IndexValue[]): string {
  return `[${values.map((value) => value.spelling).join(', ')}]`;
}
