// The value-schema vocabulary every builtin declares its parameters in (data sources, transforms,
// architectures), and the checker's declaration tables too. It lives in the runtime so a definition can
// carry its own schema; the checker reads the same objects to validate a study and fill in defaults.
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
  /** The only numbers allowed (`channels 1` or `3`), on top of any range. */
  values?: readonly number[];
};

/**
 * A string; `path` marks one naming a user file (`file`: read by the builtin, so digested into job hashes and
 * checked to exist) or folder (`folder`: only resolved). Relative paths resolve against the study file's
 * folder (runtime/input-files.ts).
 */
export type StringSchema = { type: 'string'; path?: PathKind };
export type PathKind = 'file' | 'folder';

/** The value types a builtin's parameter can have. */
export type ParamSchema =
  | NumberSchema
  | { type: 'enum'; values: readonly string[] }
  | StringSchema
  | { type: 'numberList'; integer?: boolean; min?: number; length?: number }
  /** One number, or a list of candidates to choose from (`C 0.001`, `C [1, 0.1, 0.01]`); read as a list. */
  | { type: 'choices'; of: NumberSchema }
  | { type: 'nameList' }; // attribute names: balanced_by [label, tint]

/** Every value type, including those only declarations use; `Kind` names what a reference may point to. */
export type ValueSchema<Kind extends string = string> =
  | ParamSchema
  | { type: 'ref'; kinds: readonly Kind[] }
  | { type: 'refList'; kinds: readonly Kind[] }
  | { type: 'distribution' } // a data/distribution name or an inline chain
  /** With `parts`, also a support split's part (`parts.in_support`): what a metric call in `expect` measures. */
  | { type: 'splitRef'; parts?: boolean } // reference.val
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
  /**
   * The default is left out of the spec at check time and filled in by the runtime (withDefaults) instead,
   * for a default declared after studies were planned without it: writing it would change their hashes.
   */
  implicit?: boolean;
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
export const text = (doc: string): AttributeSpec<StringSchema> => ({ type: { type: 'string' }, doc });
/** A string attribute naming a user file (or folder) the builtin reads: see StringSchema. */
export const pathText = (doc: string, path: PathKind = 'file'): AttributeSpec<StringSchema> => ({
  type: { type: 'string', path },
  doc,
});
export const required = <S extends ValueSchema<string>>(spec: AttributeSpec<S>): AttributeSpec<S> => ({
  ...spec,
  required: true,
});

// ---------------------------------------------------------------- describing and checking values

/** What a value of this schema looks like, for 'expects …' messages. */
export function describeSchema(schema: ValueSchema<string>): string {
  // A path is a string whose meaning is a place (relative to the study file's folder): say so.
  if (schema.type === 'string' && schema.path) return `a ${schema.path} path`;
  switch (schema.type) {
    case 'number': {
      const kind = schema.integer ? 'an integer' : schema.percent ? 'a number or percentage' : 'a number';
      return schema.words ? `${kind}, or ${schema.words.join(' or ')}` : kind;
    }
    case 'enum':
      return `one of ${schema.values.join(', ')}`;
    case 'string':
      return 'a string';
    case 'numberList': {
      const items = schema.integer ? 'integers' : 'numbers';
      return schema.length === undefined ? `a list of ${items}` : `a list of ${schema.length} ${items}`;
    }
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
      return schema.parts
        ? 'a distribution split like `reference.test`, or a support split part like `parts.in_support`'
        : 'a distribution split like `reference.val`';
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
  if (schema.values) return `one of ${schema.values.join(', ')}`;
  if (min !== undefined && max !== undefined) {
    return `in ${schema.exclusiveMin ? '(' : '['}${min}, ${max}${schema.exclusiveMax ? ')' : ']'}`;
  }
  if (min !== undefined) return `${schema.exclusiveMin ? '>' : '>='} ${min}`;
  if (max !== undefined) return `${schema.exclusiveMax ? '<' : '<='} ${max}`;
  return 'a number';
}

export function inRange(schema: NumberSchema, value: number): boolean {
  if (schema.values && !schema.values.includes(value)) return false;
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
      return typeof value === 'string' && schema.words?.includes(value) ? null : number(value, schema);
    case 'enum':
      return typeof value === 'string' && schema.values.includes(value)
        ? null
        : `must be one of ${schema.values.join(', ')}, got ${JSON.stringify(value)}`;
    case 'string':
      return typeof value === 'string' ? null : `must be a string, got ${JSON.stringify(value)}`;
    case 'numberList': {
      if (!Array.isArray(value) || (schema.length !== undefined && value.length !== schema.length))
        return `must be ${describeSchema(schema)}, got ${JSON.stringify(value)}`;
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

/** A builtin's parameters and positional arguments by name (what declaredNames reads). */
export interface ParamOwner {
  attributes: ParamTable;
  positional?: readonly PositionalSpec[];
}

/** What the default functions read of a builtin or declaration table. */
export interface DefaultsOwner {
  attributes: Readonly<Record<string, Pick<AttributeSpec<ValueSchema<string>>, 'default' | 'implicit'>>>;
  /** Defaults that depend on other parameters (gaussian's rank is its dim), filled in after the schema's. */
  derived?(params: Params): Params;
}

/**
 * The params the checker writes into a spec (so they are hashed): what the study wrote, then the schema's
 * default for each parameter left out, except the `implicit` ones, then the derived ones. The checker calls
 * this after validating `written` against the same schema.
 */
export function specDefaults(definition: DefaultsOwner, written: Params): Params {
  return fill(definition, written, (spec) => !spec.implicit);
}

/**
 * A spec's params as a definition's code receives them: the schema's default for each parameter left out.
 * Nothing is validated here: a study's params were validated once, at check time, and hold every default
 * but the implicit ones (specDefaults), so for a checked study this adds only those. Specs written by hand
 * against the runtime API (examples/train-api.ts) get every default from the same schema.
 */
export function withDefaults(definition: DefaultsOwner, params: Params): Params {
  return fill(definition, params, () => true);
}

function fill(
  definition: DefaultsOwner,
  params: Params,
  applies: (spec: DefaultsOwner['attributes'][string]) => boolean,
): Params {
  // Defaults first, in table order, then what was given: a spec's key order stays what compiled scripts print.
  const filled: Params = {};
  for (const [name, spec] of Object.entries(definition.attributes)) {
    if (spec.default !== undefined && applies(spec)) filled[name] = spec.default;
  }
  Object.assign(filled, params);
  return { ...filled, ...definition.derived?.(filled) };
}

/** The parameters a definition declares, by name (attributes and positional arguments). */
export function declaredNames(definition: ParamOwner): string[] {
  return [...Object.keys(definition.attributes), ...(definition.positional ?? []).map((p) => p.name)];
}
