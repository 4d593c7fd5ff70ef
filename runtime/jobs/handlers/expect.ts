// `expect`: evaluate a claim over the aggregated effective robustness of comparison results and over metrics of
// trained models (each copy's metric job; a metric call averages its copies).
import { join } from 'node:path';
import type { JobContext } from '../../exec/handler.ts';
import { expectFunctions, isMetricFunction } from '../../expect/functions.ts';
import type { ExpectExpression, ExpectJobSpec, Metric } from '../specs.ts';
import { depDir, divergedIn, readMetrics, specOf, writeJson } from './artifacts.ts';
import { readEffectiveRobustness } from './effective-robustness.ts';

/**
 * What `expectation.json` holds: the outcome only. The operands are the deps' ERs, named by the current
 * plan when results are assembled (a cached artifact carries no names: a rename keeps its hash).
 */
export interface ExpectationFile {
  value: number;
  passed: boolean;
}

export async function expect(ctx: JobContext): Promise<void> {
  const { expression } = specOf<ExpectJobSpec>(ctx);
  const values = await readOperandValues(expression, ctx.job.deps.length, (index) => depDir(ctx, index));
  await writeJson(join(ctx.outDir, 'expectation.json'), evaluateExpectation(expression, values));
}

/**
 * The number each dep stands for, by what the claim reads from it: the aggregated ER of an effective-robustness
 * dep (`result`), or one metric of a metric dep (`metric`). Results assembly reads them the same way.
 */
export async function readOperandValues(
  expression: ExpectExpression,
  count: number,
  dirOf: (index: number) => string,
): Promise<number[]> {
  const reads = new Map<number, (dir: string) => Promise<number>>();
  walk(expression, (node) => {
    if (node.op === 'result') reads.set(node.index, async (dir) => (await readEffectiveRobustness(dir)).er);
    if (node.op === 'metric') reads.set(node.index, (dir) => readMetricValue(dir, node.metric));
  });
  const values: number[] = [];
  for (let index = 0; index < count; index++) {
    const read = reads.get(index);
    if (!read) throw new Error(`expectation does not read its dependency ${index}`);
    values.push(await read(dirOf(index)));
  }
  return values;
}

async function readMetricValue(dir: string, metric: Metric): Promise<number> {
  const diverged = await divergedIn(dir);
  if (diverged) throw new Error(`${metric} cannot be measured: the model's training diverged (${diverged.reason})`);
  const value = (await readMetrics(dir)).values[metric];
  if (value === undefined) throw new Error(`the metric job computed no ${metric}`);
  return value;
}

/**
 * Each metric call of a claim, in the claim's order, with its value (the mean over the model's copies): what
 * results show next to the comparison results, named by the plan's labels.
 */
export function metricCallValues(expression: ExpectExpression, values: readonly number[]): number[] {
  const calls: number[] = [];
  walk(expression, (node) => {
    if ('args' in node && isMetricFunction(node.op))
      calls.push(expectFunctions[node.op].evaluate(node.args.map((arg) => valueAt(arg, values))));
  });
  return calls;
}

function valueAt(node: ExpectExpression, values: readonly number[]): number {
  if (node.op !== 'metric' && node.op !== 'result') throw new Error(`a metric call's argument is a ${node.op}`);
  const value = values[node.index];
  if (value === undefined)
    throw new Error(`expectation reads operand ${node.index} but only ${values.length} were computed`);
  return value;
}

/** Visits every node, parents before children, left to right. */
function walk(node: ExpectExpression, visit: (node: ExpectExpression) => void): void {
  visit(node);
  if ('args' in node) node.args.forEach((arg) => walk(arg, visit));
  else if ('left' in node) [node.left, node.right].forEach((side) => walk(side, visit));
  else if ('operand' in node) walk(node.operand, visit);
}

const COMPARISONS = new Set(['>', '>=', '<', '<=', '==']);

/**
 * A comparison passes when it holds and reports its left side as `value`; any other expression reports its
 * own value and passes when that is non-zero. `values[i]` is what the `i`-th dep stands for (readOperandValues).
 */
export function evaluateExpectation(expression: ExpectExpression, values: readonly number[]): ExpectationFile {
  const valueOf = (node: ExpectExpression): number => {
    switch (node.op) {
      case 'number':
        return node.value;
      case 'result':
      case 'metric': {
        const value = values[node.index];
        if (value === undefined)
          throw new Error(`expectation reads result ${node.index} but only ${values.length} were computed`);
        return value;
      }
      case 'neg':
        return -valueOf(node.operand);
      case '+':
        return valueOf(node.left) + valueOf(node.right);
      case '-':
        return valueOf(node.left) - valueOf(node.right);
      default:
        if ('args' in node) return expectFunctions[node.op].evaluate(node.args.map(valueOf));
        return holds(node.op, valueOf(node.left), valueOf(node.right)) ? 1 : 0;
    }
  };
  if (COMPARISONS.has(expression.op) && 'left' in expression) {
    const left = valueOf(expression.left);
    const right = valueOf(expression.right);
    return { value: left, passed: holds(expression.op, left, right) };
  }
  const value = valueOf(expression);
  return { value, passed: value !== 0 };
}

function holds(op: string, left: number, right: number): boolean {
  switch (op) {
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '==':
      return left === right;
    default:
      throw new Error(`unknown comparison ${op}`);
  }
}
