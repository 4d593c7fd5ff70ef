// `expect`: evaluate a claim over the aggregated effective robustness of comparison results.
import { join } from 'node:path';
import type { JobContext } from '../../exec/handler.ts';
import { expectFunctions } from '../../expect/functions.ts';
import type { ExpectExpression, ExpectJobSpec } from '../specs.ts';
import { depDir, specOf, writeJson } from './artifacts.ts';
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
  const results: number[] = [];
  for (let index = 0; index < ctx.job.deps.length; index++)
    results.push((await readEffectiveRobustness(depDir(ctx, index))).er);
  await writeJson(join(ctx.outDir, 'expectation.json'), evaluateExpectation(expression, results));
}

const COMPARISONS = new Set(['>', '>=', '<', '<=', '==']);

/**
 * A comparison passes when it holds and reports its left side as `value`; any other expression reports its
 * own value and passes when that is non-zero. `results[i]` is the aggregated ER of the `i`-th result.
 */
export function evaluateExpectation(expression: ExpectExpression, results: readonly number[]): ExpectationFile {
  const valueOf = (node: ExpectExpression): number => {
    switch (node.op) {
      case 'number':
        return node.value;
      case 'result': {
        const value = results[node.index];
        if (value === undefined)
          throw new Error(`expectation reads result ${node.index} but only ${results.length} were computed`);
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
