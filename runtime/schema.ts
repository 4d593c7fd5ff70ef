// The value-schema vocabulary every builtin declares its parameters in (data sources, transforms,
// architectures), and the checker's declaration tables too. It lives in the runtime so a definition can
// carry its own schema; the checker reads the same objects to validate a study and fill in defaults.
import { DataError } from './data/errors.ts';
import type { ParamValue, Params } from './data/specs.ts';

export type NumberSchema = {
  type: 'number';
  integer?: boolean;
  min?: number;
  max?: number;
  /** min/max themselves are not allowed. */
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  /** `95%` is accepted and read as a fraction (0.95). */
  percent?: boolean;
  /** Bare words accepted instead of a number (`interval copies`). */
  words?: readonly string[];
};

/** The value types a builtin's parameter can have. */
export type ParamSchema =
  | NumberSchema
  | { type: 'enum'; values: readonly string[] }
  | { type: 'string' }
  | { type: 'numberList'; integer?: boolean; min?: number }
  /** One number, or a list of candidates to choose from (`C 0.001`, `C [1, 0.1, 0.01]`); read as a list. */
  | { type: 'choices'; of: NumberSchema }
  | { type: 'nameList' }; // attribute names: balanced_by [label, tint]

/** Every value type, including those only declarations use; `Kind` names what a reference may point to. */
export type ValueSchema<Kind extends string = string> =
  | ParamSchema
  | { type: 'ref'; kinds: readonly Kind[] }
  | { type: 'refList'; kinds: readonly Kind[] }
  | { type: 'distribution' } // a data/distribution name or an inline chain
  | { type: 'splitRef' } // reference.val
  | { type: 'recipe' } // `fit` or `fit { epochs 3 }`
  | { type: 'checkpoints' } // 12, 4..12, 10..200 step 10, [2, 4, 8]
  | { type: 'sweep' } // lr [1e-3, 3e-4] select accuracy on reference.val
  | { type: 'classifierSweep' } // lr [1e-3, 1e-4] select auroc (a support split's domain classifier)
  | { type: 'reweight' } // last_layer on target.val balanced_by [label, tint]
  | { type: 'objective' } // group_dro or group_dro { eta 0.01 }: an entry of runtime/train/objectives
  | { type: 'targets' }; // [tint_bias, flip] or [parts.in_support]

export interface AttributeSpec<S extends ValueSchema<string> = ValueSchema> {
  type: S;
  /** Written into the spec at check time when the study leaves the attribute out (so it is hashed). */
  default?: ParamValue;
  required?: boolean;
  doc: string;
  /** The attribute's own block (`reweight … { C 0.01 }`): its options. Without it, a block is refused. */
  options?: AttributeTable<ParamSchema>;
}

export type AttributeTable<S extends ValueSchema<string> = ValueSchema> = Record<string, AttributeSpec<S>>;

/** A builtin's parameters: only parameter value types. */
export type ParamTable = AttributeTable<ParamSchema>;

/** A positional argument (`limit 500`, `idx "images" "labels"`), stored in the params under `name`. */
export interface PositionalSpec {
  name: string;
  type: ParamSchema;
  required: boolean;
  doc: string;
}

// ---------------------------------------------------------------- builders shared by every table

export const num = (
  doc: string,
  options: Omit<NumberSchema, 'type'> = {},
  value?: number,
): AttributeSpec<NumberSchema> => ({
  type: { type: 'number', ...options },
  doc,
  ...(value !== undefined ? { default: value } : {}),
});
export const probability = (doc: string, value?: number) => num(doc, { min: 0, max: 1 }, value);
export const count = (doc: string, value?: number, min = 1) => num(doc, { integer: true, min }, value);
export const oneOf = (
  values: readonly string[],
  doc: string,
  value?: string,
): AttributeSpec<{ type: 'enum'; values: readonly string[] }> => ({
  type: { type: 'enum', values },
  doc,
  ...(value !== undefined ? { default: value } : {}),
});
export const text = (doc: string): AttributeSpec<{ type: 'string' }> => ({ type: { type: 'string' }, doc });
export const required = <S extends ValueSchema<string>>(spec: AttributeSpec<S>): AttributeSpec<S> => ({
  ...spec,
  required: true,
});

// ---------------------------------------------------------------- describing and checking values

/** What a value of this schema looks like, for 'expects …' messages. */
export function describeSchema(schema: ValueSchema<string>): string {
  switch (schema.type) {
    case 'number': {
      const kind = schema.integer ? 'an integer' : schema.percent ? 'a number or percentage' : 'a number';
      return schema.words ? `${kind}, or ${schema.words.join(' or ')}` : kind;
    }
    case 'enum':
      return `one of ${schema.values.join(', ')}`;
    case 'string':
      return 'a string';
    case 'numberList':
      return schema.integer ? 'a list of integers' : 'a list of numbers';
    case 'choices':
      return `${describeSchema(schema.of)}, or a list of candidates [a, b, …] to choose from`;
    case 'nameList':
      return 'a list of attribute names, e.g. [label, tint]';
    case 'ref':
      return `the name of a ${schema.kinds.join(' or ')}`;
    case 'refList':
      return `a list of ${schema.kinds.join(' or ')} names`;
    case 'distribution':
      return 'a distribution or data name, or a chain like `digits | vflip`';
    case 'splitRef':
      return 'a distribution split like `reference.val`';
    case 'recipe':
      return 'a recipe name, optionally with overrides: `fit { epochs 3 }`';
    case 'checkpoints':
      return 'an epoch, a range `4..12` (optionally `step N`) or a list of epochs';
    case 'sweep':
      return 'PARAM [values] select METRIC on DISTRIBUTION.SPLIT';
    case 'classifierSweep':
      return 'PARAM [values] select auroc';
    case 'reweight':
      return 'last_layer on DISTRIBUTION.SPLIT balanced_by [attributes], optionally { C …, subsets … }';
    case 'targets':
      return 'a list of shift names or split parts like `parts.in_support`';
    case 'objective':
      return 'an objective, optionally with parameters: `group_dro { eta 0.01 }`';
  }
}

/** The allowed interval of a number schema, in words: "> 0", "in [0, 1]". */
export function describeRange(schema: NumberSchema): string {
  const { min, max } = schema;
  if (min !== undefined && max !== undefined) {
    return `in ${schema.exclusiveMin ? '(' : '['}${min}, ${max}${schema.exclusiveMax ? ')' : ']'}`;
  }
  if (min !== undefined) return `${schema.exclusiveMin ? '>' : '>='} ${min}`;
  if (max !== undefined) return `${schema.exclusiveMax ? '<' : '<='} ${max}`;
  return 'a number';
}

export function inRange(schema: NumberSchema, value: number): boolean {
  if (schema.min !== undefined && (schema.exclusiveMin ? value <= schema.min : value < schema.min)) return false;
  if (schema.max !== undefined && (schema.exclusiveMax ? value >= schema.max : value > schema.max)) return false;
  return true;
}

/** Why `value` does not fit `schema` (a phrase), or null when it fits. */
export function valueProblem(schema: ParamSchema, value: ParamValue): string | null {
  const number = (item: unknown, rule: NumberSchema): string | null => {
    if (typeof item !== 'number' || !Number.isFinite(item))
      return `must be ${describeSchema(rule)}, got ${JSON.stringify(item)}`;
    if (rule.integer && !Number.isInteger(item)) return `must be a whole number, got ${item}`;
    return inRange(rule, item) ? null : `must be ${describeRange(rule)}, got ${item}`;
  };
  switch (schema.type) {
    case 'number':
      return number(value, schema);
    case 'enum':
      return typeof value === 'string' && schema.values.includes(value)
        ? null
        : `must be one of ${schema.values.join(', ')}, got ${JSON.stringify(value)}`;
    case 'string':
      return typeof value === 'string' ? null : `must be a string, got ${JSON.stringify(value)}`;
    case 'numberList': {
      if (!Array.isArray(value)) return `must be ${describeSchema(schema)}, got ${JSON.stringify(value)}`;
      const rule: NumberSchema = { type: 'number', integer: schema.integer, min: schema.min };
      for (const item of value as unknown[]) {
        const problem = number(item, rule);
        if (problem) return `items ${problem}`;
      }
      return null;
    }
    case 'choices': {
      if (!Array.isArray(value) || value.length === 0)
        return `must be a non-empty list of candidates, got ${JSON.stringify(value)}`;
      for (const item of value as unknown[]) {
        const problem = number(item, schema.of);
        if (problem) return `candidates ${problem}`;
      }
      return null;
    }
    case 'nameList':
      return Array.isArray(value) && (value as unknown[]).every((item) => typeof item === 'string')
        ? null
        : `must be a list of names, got ${JSON.stringify(value)}`;
  }
}

/** A spec whose params do not fit the builtin's schema (a hand-written spec: a checked study never has one). */
export class ParamError extends DataError {}

/** What `resolveParams` needs of a builtin. */
export interface ParamOwner {
  attributes: ParamTable;
  positional?: readonly PositionalSpec[];
}

/**
 * A spec's params as a definition's code receives them: each declared parameter checked against its schema,
 * defaults from the same schema for the ones left out, unknown names rejected. A checked study's specs
 * already carry their defaults (the checker fills them from this schema), so for them nothing is added;
 * this is the guard for specs written by hand against the runtime API.
 */
export function resolveParams(owner: string, definition: ParamOwner, params: Params): Params {
  const declared: Record<string, { type: ParamSchema; default?: ParamValue; required?: boolean }> = {
    ...definition.attributes,
  };
  for (const position of definition.positional ?? []) declared[position.name] = position;
  const resolved: Params = {};
  for (const name of Object.keys(params)) {
    if (!(name in declared))
      throw new ParamError(
        `${owner}: unknown parameter '${name}' (known: ${Object.keys(declared).join(', ') || 'none'})`,
      );
  }
  for (const [name, spec] of Object.entries(declared)) {
    const value = params[name] ?? spec.default;
    if (value === undefined) {
      if (spec.required) throw new ParamError(`${owner}: missing required parameter '${name}'`);
      continue;
    }
    const problem = valueProblem(spec.type, value);
    if (problem) throw new ParamError(`${owner}: '${name}' ${problem}`);
    resolved[name] = value;
  }
  return resolved;
}

/** The parameters a definition declares, by name (attributes and positional arguments). */
export function declaredNames(definition: ParamOwner): string[] {
  return [...Object.keys(definition.attributes), ...(definition.positional ?? []).map((p) => p.name)];
}
