// The functions an `expect` claim may call: one table that the checker (names, arity, argument kinds), the
// planner (what a call becomes in the expect job's spec) and the expect job (evaluation) all read. It lives in
// the runtime because a compiled script and the job handler need it and the runtime never imports the compiler.
//
// Adding a function is one entry here. A metric (`accuracy(model, dist.split)`, `worst_group_accuracy(model,
// dist.split, by [label, tint])`) names a trained model and an evaluated split, not numbers: the planner turns
// the call into one metric job per copy of the model (operands of the job, like a comparison result), so its
// entry in the expect spec is `{ op: 'accuracy', args: [the copies' values] }` and `evaluate` averages them.
// A type import only: the metrics module loads TF.js, and checking a study must not.
import type { Metric } from '../eval/metrics.ts';

/**
 * What an argument must be: a number-valued expression (a comparison result, a literal, a call), a trained
 * model (an arm, a baseline at its last epoch, a pretrain), or a distribution's split (`reference.test`).
 */
export type ExpectArgumentKind = 'number' | 'model' | 'split';

export interface ExpectParameter {
  name: string;
  kind: ExpectArgumentKind;
}

export interface ExpectFunction {
  name: string;
  doc: string;
  /** The parameters in order; with `repeats`, the last one may be given any number of extra times. */
  params: readonly ExpectParameter[];
  repeats?: boolean;
  /** Set on a metric: the runtime metric the call measures. */
  metric?: Metric;
  /** Whether the call takes `by [..]`, the groups of a worst-group metric. */
  groups?: boolean;
  /** The function's value from its arguments' values, in order (a metric's: its copies' values). */
  evaluate(args: readonly number[]): number;
}

const number = (name: string): ExpectParameter => ({ name, kind: 'number' });

function define<const Name extends string>(
  name: Name,
  definition: Omit<ExpectFunction, 'name'>,
): ExpectFunction & { name: Name } {
  return { name, ...definition };
}

const METRIC_DOCS: Record<Metric, string> = {
  accuracy: 'accuracy of a trained model on a split, averaged over its copies',
  balanced_accuracy: 'mean per-class recall of a trained model on a split, averaged over its copies',
  worst_group_accuracy:
    'lowest accuracy over the groups (`by [..]`, default [label, aligned] when the data carries aligned, else [label]) of a trained model on a split, averaged over its copies',
  macro_f1: 'macro-averaged F1 of a trained model on a split, averaged over its copies',
  auroc: 'AUROC (binary tasks) of a trained model on a split, averaged over its copies',
};

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** One function per runtime metric, under the metric's own name (the names `compare … metric` uses). */
function metricFunction<const Name extends Metric>(metric: Name): ExpectFunction & { name: Name } {
  return define(metric, {
    doc: METRIC_DOCS[metric],
    params: [
      { name: 'model', kind: 'model' },
      { name: 'split', kind: 'split' },
    ],
    metric,
    groups: metric === 'worst_group_accuracy',
    evaluate: mean,
  });
}

export const expectFunctions = {
  abs: define('abs', { doc: 'absolute value', params: [number('x')], evaluate: ([x]) => Math.abs(x!) }),
  min: define('min', {
    doc: 'smallest of two or more values',
    params: [number('a'), number('b')],
    repeats: true,
    evaluate: (args) => Math.min(...args),
  }),
  max: define('max', {
    doc: 'largest of two or more values',
    params: [number('a'), number('b')],
    repeats: true,
    evaluate: (args) => Math.max(...args),
  }),
  accuracy: metricFunction('accuracy'),
  balanced_accuracy: metricFunction('balanced_accuracy'),
  worst_group_accuracy: metricFunction('worst_group_accuracy'),
  macro_f1: metricFunction('macro_f1'),
  auroc: metricFunction('auroc'),
} as const satisfies Record<string, ExpectFunction> & Record<Metric, ExpectFunction>;

/** The functions over numbers (`abs`, `min`, `max`); the others are the metrics. */
export type NumberFunctionName = Exclude<ExpectFunctionName, Metric>;

/** Whether a function of the table is a metric (its arguments name a model and a split). */
export function isMetricFunction(name: string): name is Metric {
  return expectFunction(name)?.metric !== undefined;
}

export type ExpectFunctionName = keyof typeof expectFunctions;

export function expectFunction(name: string): ExpectFunction | undefined {
  return Object.hasOwn(expectFunctions, name) ? expectFunctions[name as ExpectFunctionName] : undefined;
}

export function isExpectFunctionName(name: string): name is ExpectFunctionName {
  return expectFunction(name) !== undefined;
}

/** Whether `count` arguments fit the function's parameters. */
export function acceptsArgumentCount(fn: ExpectFunction, count: number): boolean {
  return fn.repeats ? count >= fn.params.length : count === fn.params.length;
}

/** `accuracy(model, split)`, `max(a, b, …)`: how the function is called (without `by [..]`). */
export function describeSignature(fn: ExpectFunction): string {
  return `${fn.name}(${fn.params.map((p) => p.name).join(', ')}${fn.repeats ? ', …' : ''})`;
}

/** "1 argument", "2 or more arguments". */
export function describeArity(fn: ExpectFunction): string {
  const count = fn.params.length;
  return `${count}${fn.repeats ? ' or more' : ''} argument${count === 1 && !fn.repeats ? '' : 's'}`;
}

export function isNumberFunctionName(name: string): name is NumberFunctionName {
  return isExpectFunctionName(name) && !isMetricFunction(name);
}
