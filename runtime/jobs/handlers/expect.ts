// `expect`: evaluate a claim over the aggregated effective robustness of comparison results.
import { join } from 'node:path';
import type { JobContext } from '../../exec/handler.ts';
import { expectFunctions } from '../../expect/functions.ts';
import type { ArmShiftResult } from '../../results.ts';
import type { ExpectExpression, ExpectJobSpec } from '../specs.ts';
import { depDir, readJson, specOf, writeJson } from './artifacts.ts';

/** What `expectation.json` holds. */
export interface ExpectationFile {
  value: number;
  passed: boolean;
  operands: Record<string, number>;
}

export async function expect(ctx: JobContext): Promise<void> {
  const { expression } = specOf<ExpectJobSpec>(ctx);
  const names = ctx.job.labels?.operands;
  // The planner lists the dotted path of each result it reads (`robustness.fine_tuned.flip`).
  const pathOf = (index: number) => {
    const name = Array.isArray(names) ? names[index] : undefined;
    return typeof name === 'string' ? name : ctx.job.deps[index];
  };
  const results: number[] = [];
  for (let index = 0; index < ctx.job.deps.length; index++) {
    results.push((await readJson<ArmShiftResult>(join(depDir(ctx, index), 'effective-robustness.json'))).er);
  }
  await writeJson(join(ctx.outDir, 'expectation.json'), evaluateExpectation(expression, results, ctx.job.deps.map((_, index) => pathOf(index))));
}

const COMPARISONS = new Set(['>', '>=', '<', '<=', '==']);

/**
 * A comparison passes when it holds and reports its left side as `value`; any other expression reports its
 * own value and passes when that is non-zero. `results[i]` is the aggregated ER of the `i`-th result, reported
 * among the operands as `names[i]`.
 */
export function evaluateExpectation(expression: ExpectExpression, results: readonly number[], names: readonly string[]): ExpectationFile {
  const operands: Record<string, number> = {};
  const valueOf = (node: ExpectExpression): number => {
    switch (node.op) {
      case 'number':
        return node.value;
      case 'result': {
        const value = results[node.index];
        if (value === undefined) throw new Error(`expectation reads result ${node.index} but only ${results.length} were computed`);
        operands[names[node.index] ?? node.path] = value;
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
    return { value: left, passed: holds(expression.op, left, right), operands };
  }
  const value = valueOf(expression);
  return { value, passed: value !== 0, operands };
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
