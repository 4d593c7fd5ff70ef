// An `expect` expression (grammar AST) as the builder's ExpectInput: comparison results named by handle.
import type { Expression } from '../../grammar/ast.ts';
import { isExpectFunctionName } from '../../runtime/expect/functions.ts';
import type { CompareHandle, ExpectInput } from '../../runtime/study/builder.ts';

/** `compare.arm.target` (target may itself be dotted: `parts.in_support`). */
export function toExpectInput(expression: Expression, compares: ReadonlyMap<string, CompareHandle>): ExpectInput {
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
        if (!isExpectFunctionName(name)) throw new Error(`expect: unknown function ${name}`);
        return { op: name, args: node.args.map(convert) };
      }
      case 'Reference': {
        const [compare, arm, ...target] = node.path.map((part) => part.name);
        const handle = compare === undefined ? undefined : compares.get(compare);
        if (!handle || arm === undefined || !target.length)
          throw new Error(`expect: ${node.path.map((p) => p.name).join('.')} names no comparison result`);
        return { op: 'result', compare: handle, arm, target: target.join('.') };
      }
    }
  };
  return convert(expression);
}
