// Reads one attribute's values against its schema. Pure: it returns what it read, the problems it saw
// and the names it met, and the rules decide what to report. The typed-study builder uses the same
// reader, so an attribute is interpreted in exactly one place.

import type { Attribute, CallValue, Reference, Span, Value } from '../../grammar/ast.ts';
import {
  METRICS,
  describeRange,
  describeSchema,
  inRange,
  recipeAttributes,
  type SymbolKind,
  type ValueSchema,
} from './builtins.ts';
import { SPLIT_NAMES } from '../../runtime/data/dataset.ts';
import { SUPPORT_PARTS, type SupportPart } from '../../runtime/jobs/specs.ts';
import type { Metric, SplitName } from './typed.ts';

export type ValueProblem =
  | { kind: 'type'; span: Span; expected: string }
  | { kind: 'range'; span: Span; constraint: string; got: string }
  /** `known`: the names the position takes (default: the split names). */
  | { kind: 'split'; span: Span; name: string; known?: readonly string[] };

/** A name the value refers to, and what kinds of declaration it may name. */
export interface NameUse {
  reference: Reference;
  kinds: readonly SymbolKind[];
}

/** A distribution written in place: a root name and the transform stages after it. */
export interface ChainReading {
  root: Reference;
  stages: (Reference | CallValue)[];
  span: Span;
}

export interface SplitRefReading {
  distribution: string;
  split: SplitName;
  span: Span;
}

/** `parts.in_support`: one part of a support split (where a metric call may also measure). */
export interface SplitPartReading {
  supportSplit: string;
  part: SupportPart;
  span: Span;
}

export interface RecipeReading {
  name: string;
  overrides: Attribute[];
  call: CallValue | null;
}

export interface SweepReading {
  param: string;
  values: number[];
  metric: Metric;
  select: SplitRefReading;
}

/** `group_dro` or `group_dro { eta 0.01 }`: which objective, and the call whose block holds its parameters. */
export interface ObjectiveReading {
  name: string;
  value: Reference | CallValue;
}

export interface ClassifierSweepReading {
  param: string;
  values: number[];
  metric: 'auroc';
}

export interface ReweightReading {
  layer: 'last_layer';
  on: SplitRefReading;
  balancedBy: string[];
}

export interface TargetReading {
  /** `flip` or `parts.in_support`. */
  path: string[];
  reference: Reference;
}

export type ReadValue =
  | number
  | string
  | number[]
  | string[]
  | ChainReading
  | SplitRefReading
  | SplitPartReading
  | RecipeReading
  | SweepReading
  | ClassifierSweepReading
  | ReweightReading
  | ObjectiveReading
  | TargetReading[];

export interface Reading {
  value: ReadValue | undefined;
  problems: ValueProblem[];
  names: NameUse[];
}

export { SPLIT_NAMES };
const DISTRIBUTION_KINDS: readonly SymbolKind[] = ['distribution', 'data'];

export function spanOfValues(values: readonly Value[], fallback: Span): Span {
  const first = values[0];
  const last = values[values.length - 1];
  if (!first || !last) return fallback;
  return { ...first.span, end: last.span.end, endLine: last.span.endLine, endColumn: last.span.endColumn };
}

/** A bare one-segment name, or undefined. */
export function simpleName(value: Value | undefined): string | undefined {
  return value?.kind === 'Reference' && value.path.length === 1 ? value.path[0]!.name : undefined;
}

export function readAttribute(attribute: Attribute, schema: ValueSchema): Reading {
  return readValues(attribute.values, schema, attribute.span);
}

export function readValues(values: readonly Value[], schema: ValueSchema, whole: Span): Reading {
  const reading: Reading = { value: undefined, problems: [], names: [] };
  const typeProblem = (span: Span) => {
    reading.problems.push({ kind: 'type', span, expected: describeSchema(schema) });
    return reading;
  };
  const single = values.length === 1 ? values[0]! : undefined;
  const span = spanOfValues(values, whole);

  switch (schema.type) {
    case 'number': {
      const word = simpleName(single);
      if (word !== undefined && schema.words?.includes(word)) {
        reading.value = word;
        return reading;
      }
      const number = single && readNumber(single, schema, reading);
      if (number === undefined) return reading.problems.length ? reading : typeProblem(span);
      reading.value = number;
      return reading;
    }
    case 'enum': {
      const name = simpleName(single);
      if (name === undefined || !schema.values.includes(name)) return typeProblem(span);
      reading.value = name;
      return reading;
    }
    case 'string':
      if (single?.kind !== 'String') return typeProblem(span);
      reading.value = single.value;
      return reading;
    case 'numberList': {
      if (single?.kind !== 'List' || (schema.length !== undefined && single.items.length !== schema.length))
        return typeProblem(span);
      const numbers: number[] = [];
      const item: ValueSchema = { type: 'number', integer: schema.integer, min: schema.min };
      for (const element of single.items) {
        const number = readNumber(element, item, reading);
        if (number === undefined) return reading.problems.length ? reading : typeProblem(element.span);
        numbers.push(number);
      }
      reading.value = numbers;
      return reading;
    }
    case 'choices': {
      // One number is a single candidate: the reading is always a list.
      const items = single?.kind === 'List' ? single.items : single ? [single] : [];
      if (items.length === 0) return typeProblem(span);
      const numbers: number[] = [];
      for (const element of items) {
        const number = readNumber(element, schema.of, reading);
        if (number === undefined) return reading.problems.length ? reading : typeProblem(element.span);
        numbers.push(number);
      }
      reading.value = numbers;
      return reading;
    }
    case 'nameList': {
      const names = readNameList(single);
      if (!names) return typeProblem(span);
      reading.value = names;
      return reading;
    }
    case 'ref':
      if (simpleName(single) === undefined) return typeProblem(span);
      reading.names.push({ reference: single as Reference, kinds: schema.kinds });
      reading.value = simpleName(single);
      return reading;
    case 'refList': {
      if (single?.kind !== 'List') return typeProblem(span);
      const names: string[] = [];
      for (const element of single.items) {
        const name = simpleName(element);
        if (name === undefined) return typeProblem(element.span);
        reading.names.push({ reference: element as Reference, kinds: schema.kinds });
        names.push(name);
      }
      reading.value = names;
      return reading;
    }
    case 'distribution': {
      const chain = single && readChain(single);
      if (!chain) return typeProblem(span);
      reading.names.push({ reference: chain.root, kinds: DISTRIBUTION_KINDS });
      reading.value = chain;
      return reading;
    }
    case 'splitRef': {
      const split = single && (schema.parts ? readMetricSplit(single, reading) : readSplitRef(single, reading));
      if (split === null) return reading;
      if (!split) return typeProblem(span);
      reading.value = split;
      return reading;
    }
    case 'recipe': {
      if (single?.kind === 'Reference' && single.path.length === 1) {
        reading.names.push({ reference: single, kinds: ['recipe'] });
        reading.value = { name: single.path[0]!.name, overrides: [], call: null };
        return reading;
      }
      if (single?.kind === 'Call' && single.callee.path.length === 1 && single.args.length === 0) {
        reading.names.push({ reference: single.callee, kinds: ['recipe'] });
        reading.value = { name: single.callee.path[0]!.name, overrides: single.block?.attributes ?? [], call: single };
        return reading;
      }
      return typeProblem(span);
    }
    case 'checkpoints': {
      const epochs = single && readCheckpoints(single, reading);
      if (epochs === undefined) return reading.problems.length ? reading : typeProblem(span);
      reading.value = epochs;
      return reading;
    }
    case 'objective': {
      // The name is checked against the registry as a builtin (S1004), like a transform's.
      const callee = single?.kind === 'Call' && !single.parenthesized && !single.args.length ? single.callee : single;
      const name = simpleName(callee);
      if (name === undefined) return typeProblem(span);
      reading.value = { name, value: single as Reference | CallValue };
      return reading;
    }
    case 'sweep':
      return readSweep(values, reading, () => typeProblem(span));
    case 'classifierSweep':
      return readClassifierSweep(values, reading, () => typeProblem(span));
    case 'reweight':
      return readReweight(values, reading, () => typeProblem(span));
    case 'targets': {
      if (single?.kind !== 'List') return typeProblem(span);
      const targets: TargetReading[] = [];
      for (const element of single.items) {
        if (element.kind !== 'Reference' || element.path.length > 2) return typeProblem(element.span);
        const [head, part] = element.path;
        reading.names.push({
          reference: { kind: 'Reference', path: [head!], span: head!.span },
          kinds: part ? ['split'] : ['shift'],
        });
        if (part && part.name !== 'in_support' && part.name !== 'out_of_support') {
          reading.problems.push({
            kind: 'type',
            span: part.span,
            expected: 'a split part: in_support or out_of_support',
          });
          return reading;
        }
        targets.push({ path: element.path.map((p) => p.name), reference: element });
      }
      reading.value = targets;
      return reading;
    }
  }
}

function readNumber(
  value: Value,
  schema: Extract<ValueSchema, { type: 'number' }>,
  reading: Reading,
): number | undefined {
  let number: number;
  if (value.kind === 'Number') number = value.value;
  else if (value.kind === 'Percent' && schema.percent) number = value.value / 100;
  else return undefined;
  const shown = value.kind === 'Percent' ? value.raw : String(value.raw ?? number);
  if (schema.integer && !Number.isInteger(number)) {
    reading.problems.push({ kind: 'type', span: value.span, expected: 'an integer' });
    return undefined;
  }
  if (!inRange(schema, number)) {
    const constraint =
      schema.percent && value.kind === 'Percent' ? 'strictly between 0% and 100%' : describeRange(schema);
    reading.problems.push({ kind: 'range', span: value.span, constraint, got: shown });
  }
  return number;
}

function readNameList(value: Value | undefined): string[] | undefined {
  // `[label, tint]`, or a bare `label` for one attribute.
  if (value?.kind === 'Reference') return simpleName(value) === undefined ? undefined : [simpleName(value)!];
  if (value?.kind !== 'List') return undefined;
  const names = value.items.map(simpleName);
  return names.every((n) => n !== undefined) ? (names as string[]) : undefined;
}

export function readChain(value: Value): ChainReading | undefined {
  if (value.kind === 'Reference' && value.path.length === 1) return { root: value, stages: [], span: value.span };
  if (value.kind !== 'Chain') return undefined;
  const [root, ...stages] = value.stages;
  if (root?.kind !== 'Reference' || root.path.length !== 1) return undefined;
  return { root, stages, span: value.span };
}

/** undefined: not a split reference at all; null: a problem was recorded. */
function readSplitRef(value: Value, reading: Reading): SplitRefReading | undefined | null {
  if (value.kind !== 'Reference' || value.path.length !== 2) return undefined;
  const [distribution, split] = value.path as [Reference['path'][0], Reference['path'][0]];
  reading.names.push({
    reference: { kind: 'Reference', path: [distribution], span: distribution.span },
    kinds: DISTRIBUTION_KINDS,
  });
  if (!(SPLIT_NAMES as readonly string[]).includes(split.name)) {
    reading.problems.push({ kind: 'split', span: split.span, name: split.name });
    return null;
  }
  return { distribution: distribution.name, split: split.name as SplitName, span: value.span };
}

/** A distribution's split, or a support split's part (`parts.in_support`): the second name says which. */
function readMetricSplit(value: Value, reading: Reading): SplitRefReading | SplitPartReading | undefined | null {
  if (value.kind !== 'Reference' || value.path.length !== 2) return undefined;
  const [head, second] = value.path as [Reference['path'][0], Reference['path'][0]];
  if ((SPLIT_NAMES as readonly string[]).includes(second.name)) return readSplitRef(value, reading);
  const part = (SUPPORT_PARTS as readonly string[]).includes(second.name);
  // A second name that is neither leaves the first one either kind: the misspelt name is the one reported.
  reading.names.push({
    reference: { kind: 'Reference', path: [head], span: head.span },
    kinds: part ? ['split'] : [...DISTRIBUTION_KINDS, 'split'],
  });
  if (part) return { supportSplit: head.name, part: second.name as SupportPart, span: value.span };
  reading.problems.push({
    kind: 'split',
    span: second.span,
    name: second.name,
    known: [...SPLIT_NAMES, ...SUPPORT_PARTS],
  });
  return null;
}

function readCheckpoints(value: Value, reading: Reading): number[] | undefined {
  const epochSchema: Extract<ValueSchema, { type: 'number' }> = { type: 'number', integer: true, min: 1 };
  if (value.kind === 'Number') {
    const epoch = readNumber(value, epochSchema, reading);
    return epoch === undefined ? undefined : [epoch];
  }
  if (value.kind === 'List') {
    const epochs: number[] = [];
    for (const item of value.items) {
      const epoch = readNumber(item, epochSchema, reading);
      if (epoch === undefined) return undefined;
      epochs.push(epoch);
    }
    return [...new Set(epochs)].sort((a, b) => a - b);
  }
  if (value.kind !== 'Range') return undefined;
  const from = readNumber(value.from, epochSchema, reading);
  const to = readNumber(value.to, epochSchema, reading);
  const step = value.step ? readNumber(value.step, epochSchema, reading) : 1;
  if (from === undefined || to === undefined || step === undefined) return undefined;
  if (to < from) {
    reading.problems.push({
      kind: 'range',
      span: value.span,
      constraint: 'a range whose end is not below its start',
      got: `${from}..${to}`,
    });
    return undefined;
  }
  const epochs: number[] = [];
  for (let epoch = from; epoch <= to; epoch += step) epochs.push(epoch);
  return epochs;
}

const isWord = (value: Value | undefined, word: string) => simpleName(value) === word;

/** `PARAM [v, …]`: a numeric recipe field and its candidate values (undefined: not that; a problem may be recorded). */
function readCandidates(param: Value | undefined, list: Value | undefined, reading: Reading) {
  const paramName = simpleName(param);
  const numericRecipeFields = Object.entries(recipeAttributes).filter(([, spec]) => spec.type.type === 'number');
  const field = numericRecipeFields.find(([name]) => name === paramName);
  if (!field || list?.kind !== 'List') return undefined;
  const numbers: number[] = [];
  for (const item of list.items) {
    const number = readNumber(item, field[1].type as Extract<ValueSchema, { type: 'number' }>, reading);
    if (number === undefined) return undefined;
    numbers.push(number);
  }
  return numbers.length === 0 ? undefined : { param: paramName!, values: numbers };
}

// sweep PARAM [v, ...] select auroc (a support split's domain classifier: held-out AUROC picks the value)
function readClassifierSweep(values: readonly Value[], reading: Reading, fail: () => Reading): Reading {
  const [param, list, select, metric] = values;
  const candidates = readCandidates(param, list, reading);
  if (reading.problems.length) return reading;
  if (!candidates || values.length !== 4 || !isWord(select, 'select') || !isWord(metric, 'auroc')) return fail();
  reading.value = { ...candidates, metric: 'auroc' };
  return reading;
}

// sweep PARAM [v, ...] select METRIC on DISTRIBUTION.SPLIT
function readSweep(values: readonly Value[], reading: Reading, fail: () => Reading): Reading {
  const [param, list, select, metric, on, target] = values;
  const candidates = readCandidates(param, list, reading);
  if (reading.problems.length) return reading;
  if (!candidates || values.length !== 6 || !isWord(select, 'select') || !isWord(on, 'on')) return fail();
  const metricName = METRICS.find((known) => known === simpleName(metric));
  if (metricName === undefined) return fail();
  const { param: paramName, values: numbers } = candidates;
  const split = readSplitRef(target!, reading);
  if (split === null) return reading;
  if (!split) return fail();
  reading.value = { param: paramName!, values: numbers, metric: metricName, select: split };
  return reading;
}

// reweight last_layer on DISTRIBUTION.SPLIT [balanced_by [a, b]]
function readReweight(values: readonly Value[], reading: Reading, fail: () => Reading): Reading {
  const [layer, on, target, ...rest] = values;
  if (!isWord(layer, 'last_layer') || !isWord(on, 'on') || !target) return fail();
  let balancedBy: string[] | undefined = ['label'];
  if (rest.length === 2 && isWord(rest[0], 'balanced_by')) balancedBy = readNameList(rest[1]);
  else if (rest.length === 1 && rest[0]!.kind === 'Call' && simpleName(rest[0]!.callee) === 'balanced_by') {
    balancedBy = readNameList(rest[0]!.args[0]);
  } else if (rest.length !== 0) return fail();
  if (!balancedBy) return fail();
  const split = readSplitRef(target, reading);
  if (split === null) return reading;
  if (!split) return fail();
  reading.value = { layer: 'last_layer', on: split, balancedBy };
  return reading;
}
