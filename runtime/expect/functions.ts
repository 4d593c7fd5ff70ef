// The functions an `expect` claim may call: one table that the checker (names, arity, argument kinds), the
// planner (what a call becomes in the expect job's spec) and the expect job (evaluation) all read. It lives in
// the runtime because a compiled script and the job handler need it and the runtime never imports the compiler.
//
// Adding a function is one entry here. A function over other things than numbers (issue 15's
// `accuracy(model, dist.split)` or `worst_group_accuracy(model, dist.split, by [tint])`) adds an argument kind
// below; the planner turns such arguments into the metric results they name (operands of the job, like a
// comparison result today), so `evaluate` still sees numbers and the spec keeps its `{ op: name, args }` shape.

/** What an argument must be. Today every argument is a number-valued expression (a result, a literal, a call). */
export type ExpectArgumentKind = 'number';

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
  /** The function's value from its arguments' values, in order. */
  evaluate(args: readonly number[]): number;
}

const number = (name: string): ExpectParameter => ({ name, kind: 'number' });

function define<const Name extends string>(
  name: Name,
  definition: Omit<ExpectFunction, 'name'>,
): ExpectFunction & { name: Name } {
  return { name, ...definition };
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
} as const satisfies Record<string, ExpectFunction>;

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

/** "1 argument", "2 or more arguments". */
export function describeArity(fn: ExpectFunction): string {
  const count = fn.params.length;
  return `${count}${fn.repeats ? ' or more' : ''} argument${count === 1 && !fn.repeats ? '' : 's'}`;
}
