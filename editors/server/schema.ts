// The only module of the language server that reads the builtin schema (compiler/check/builtins.ts): which
// attributes a block takes, their types, ranges, defaults and docs, and the docs of every builtin. Hover,
// completion and quick fixes ask here, so when the schema moves (one definition object per builtin) only
// this file is re-pointed.

import { SPLIT_NAMES } from '../../runtime/data/dataset.ts';
import { SUPPORT_PARTS } from '../../runtime/jobs/specs.ts';
import {
  describeArity,
  describeSignature,
  expectFunction,
  expectFunctions,
  type ExpectFunction,
} from '../../runtime/expect/functions.ts';
import { ARGUMENT_KIND_WORDS } from '../../compiler/check/sites.ts';
import {
  builtinFamilies,
  declarationTables,
  describeRange,
  describeSchema,
  type AttributeSpec,
  type AttributeTable,
  type SymbolKind,
  type ValueSchema,
} from '../../compiler/check/builtins.ts';

export type { AttributeSpec, AttributeTable, SymbolKind, ValueSchema };

export type BuiltinFamily = keyof typeof builtinFamilies;

export interface BuiltinDoc {
  family: BuiltinFamily;
  name: string;
  doc: string;
  attributes: AttributeTable;
  positional: { name: string; type: ValueSchema }[];
}

const families: Record<
  BuiltinFamily,
  Record<string, { doc: string; attributes: AttributeTable; positional?: unknown }>
> = builtinFamilies;

/** A builtin's docs, or undefined for a name that is none of `family`. */
export function builtin(family: string, name: string): BuiltinDoc | undefined {
  const table = families[family as BuiltinFamily];
  const entry = table && Object.hasOwn(table, name) ? table[name] : undefined;
  if (!entry) return undefined;
  const raw = entry.positional;
  const positional = (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]) as {
    name: string;
    type: ValueSchema;
  }[];
  return { family: family as BuiltinFamily, name, doc: entry.doc, attributes: entry.attributes, positional };
}

export function builtinNames(family: BuiltinFamily): string[] {
  return Object.keys(families[family]);
}

export const SHIFT_KINDS = SUPPORT_PARTS;
export const SPLIT_FUNCTIONS = ['support'] as const;
export { SPLIT_NAMES };
export const SPLIT_PARTS = SHIFT_KINDS;

export const { split: splitAttributes, study: studyAttributes } = declarationTables;

/** The markdown lines that describe one attribute: its type, allowed range, default and doc. */
export function describeAttribute(name: string, spec: AttributeSpec): string[] {
  const lines = [`**${name}** — ${spec.doc}`, '', `type: ${describeSchema(spec.type)}`];
  if (spec.type.type === 'number' && (spec.type.min !== undefined || spec.type.max !== undefined))
    lines.push(`range: ${describeRange(spec.type)}`);
  if (spec.required) lines.push('required');
  if (spec.default !== undefined) lines.push(`default: ${formatValue(spec.default)}`);
  return lines;
}

/** A schema value as it would be written in a study: `[16, 32]`, `adam`, `0.1`. */
export function formatValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (typeof value === 'string') return value;
  return String(value);
}

/** The declaration kinds a value of this schema may name (empty when it names none). */
export function acceptedKinds(schema: ValueSchema): readonly SymbolKind[] {
  switch (schema.type) {
    case 'ref':
    case 'refList':
      return schema.kinds;
    case 'distribution':
    case 'splitRef':
      return ['distribution', 'data'];
    case 'recipe':
      return ['recipe'];
    case 'targets':
      return ['shift', 'split'];
    default:
      return [];
  }
}

/** Words a value of this schema may be, when the schema is a closed set (enums). */
export function enumValues(schema: ValueSchema): readonly string[] {
  return schema.type === 'enum' ? schema.values : [];
}

/** True when a value of this schema is a chain that takes transforms after `|`. */
export const takesChain = (schema: ValueSchema) => schema.type === 'distribution';

/** The functions an `expect` may call (one table: runtime/expect/functions.ts), for completion and hover. */
export function expectFunctionNames(): string[] {
  return Object.keys(expectFunctions);
}

export { describeSignature, expectFunction, type ExpectFunction };

/** A function's markdown: its signature, doc, arity and what each argument must be. */
export function describeFunction(fn: ExpectFunction): string[] {
  const lines = ['```shiftlab', describeSignature(fn), '```', fn.doc, '', `takes ${describeArity(fn)}`];
  for (const param of fn.params)
    lines.push(`- \`${param.name}\`: ${param.kind === 'number' ? 'a number' : ARGUMENT_KIND_WORDS[param.kind]}`);
  if (fn.groups) lines.push('- `by [ATTRIBUTES]` (optional, last): the groups');
  return lines;
}
