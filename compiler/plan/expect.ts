// An `expect` expression (grammar AST) as the builder's ExpectInput: comparison results named by handle, metric
// calls by the handles of their model and split.
import type { Expression, FunctionCall } from '../../grammar/ast.ts';
import { isMetricFunction, isNumberFunctionName } from '../../runtime/expect/functions.ts';
import type {
  CompareHandle,
  DistributionHandle,
  ExpectInput,
  GroupHandle,
  PretrainHandle,
  SplitHandle,
} from '../../runtime/study/builder.ts';
import type {
  TypedDistribution,
  TypedMetricCall,
  TypedPretrain,
  TypedSplit,
  TypedTrainingGroup,
} from '../check/typed.ts';
import { printExpression } from '../format/expression.ts';

/** The handles a claim's operands resolve to. */
export interface ExpectHandles {
  compares: ReadonlyMap<string, CompareHandle>;
  group(typed: TypedTrainingGroup): GroupHandle;
  pretrain(typed: TypedPretrain): PretrainHandle;
  distribution(typed: TypedDistribution): DistributionHandle;
  split(typed: TypedSplit): SplitHandle;
}

/** `compare.arm.target` (target may itself be dotted: `parts.in_support`); metric calls as their typed calls. */
export function toExpectInput(
  expression: Expression,
  handles: ExpectHandles,
  metrics: readonly TypedMetricCall[] = [],
): ExpectInput {
  const metricOf = (call: FunctionCall): ExpectInput => {
    const typed = metrics.find((metric) => metric.call === call);
    if (!typed) throw new Error(`expect: the metric call ${printExpression(call)} was not checked`);
    const model =
      typed.model.kind === 'group' ? handles.group(typed.model.group) : handles.pretrain(typed.model.pretrain);
    return {
      op: 'metric',
      metric: typed.metric,
      model,
      on: {
        distribution: handles.distribution(typed.distribution),
        split: typed.split,
        ...(typed.part ? { part: { split: handles.split(typed.part.split), part: typed.part.part } } : {}),
      },
      groups: typed.groups,
      text: printExpression(call),
    };
  };
  const convert = (node: Expression): ExpectInput => {
    switch (node.kind) {
      case 'Number':
        return { op: 'number', value: node.value };
      case 'Percent':
        return { op: 'number', value: node.value / 100 };
      case 'Unary':
        return { op: 'neg', operand: convert(node.operand) };
      case 'Binary':
        return { op: node.operator, left: convert(node.left), right: convert(node.right) };
      case 'FunctionCall': {
        // The checker reported any name the function table lacks (S1006), so a checked study never throws here.
        const name = node.callee.name;
        if (isMetricFunction(name)) return metricOf(node);
        if (!isNumberFunctionName(name)) throw new Error(`expect: unknown function ${name}`);
        return { op: name, args: node.args.map(convert) };
      }
      case 'Reference': {
        const [compare, arm, ...target] = node.path.map((part) => part.name);
        const handle = compare === undefined ? undefined : handles.compares.get(compare);
        if (!handle || arm === undefined || !target.length)
          throw new Error(`expect: ${node.path.map((p) => p.name).join('.')} names no comparison result`);
        return { op: 'result', compare: handle, arm, target: target.join('.') };
      }
    }
  };
  return convert(expression);
}
