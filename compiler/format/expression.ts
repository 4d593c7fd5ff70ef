// `expect` expressions, printed with the fewest parentheses that keep their meaning (the AST has none).

import type { Expression, Identifier, MemberValue, Value } from '../../grammar/ast.ts';

/** Binding strength: comparisons < `+`/`-` < unary minus < everything else. */
function precedence(expression: Expression): number {
  switch (expression.kind) {
    case 'Binary':
      return expression.operator === '+' || expression.operator === '-' ? 2 : 1;
    case 'Unary':
      return 3;
    default:
      return 4;
  }
}

export function printExpression(expression: Expression): string {
  switch (expression.kind) {
    case 'Number':
    case 'Percent':
      return expression.raw;
    case 'Reference':
      return expression.path.map(printSegment).join('.');
    case 'FunctionCall': {
      const args = expression.args.map(printExpression);
      if (expression.by) args.push(`by [${expression.by.items.map(printGroup).join(', ')}]`);
      return `${expression.callee.name}(${args.join(', ')})`;
    }
    case 'Unary': {
      const operand = printExpression(expression.operand);
      // `-(-x)`, not `--x`: two minus signs in a row would read as one token in many languages.
      const wrap = precedence(expression.operand) < 3 || operand.startsWith('-');
      return `-${wrap ? `(${operand})` : operand}`;
    }
    case 'Binary': {
      const own = precedence(expression);
      // `+`/`-` group to the left, so a right operand of equal strength needs parentheses; comparisons do
      // not chain, so a comparison inside a comparison always keeps them.
      const left = operand(expression.left, own === 1 ? own : own - 1);
      const right = operand(expression.right, own);
      return `${left} ${expression.operator} ${right}`;
    }
  }
}

/** Prints `expression`, parenthesised when it binds no tighter than `weakest` allows. */
function operand(expression: Expression, weakest: number): string {
  const text = printExpression(expression);
  return precedence(expression) <= weakest ? `(${text})` : text;
}

/** A reference segment: `ft`, `ft[0.5]`, `ft[p, *]` (a member index touches its name). */
function printSegment(segment: Identifier): string {
  return segment.index ? `${segment.name}[${segment.index.values.map(printMemberValue).join(', ')}]` : segment.name;
}

function printMemberValue(value: MemberValue): string {
  switch (value.kind) {
    case 'Wildcard':
      return '*';
    case 'Reference':
      return value.path.map(printSegment).join('.');
    default:
      return value.raw;
  }
}

/**
 * An item of `by [..]`: an attribute name; anything else (which the checker reports) is printed on one line as
 * written, so formatting stays lossless.
 */
function printGroup(value: Value): string {
  switch (value.kind) {
    case 'Reference':
      return value.path.map(printSegment).join('.');
    case 'Number':
    case 'Percent':
    case 'String':
      return value.raw;
    case 'List':
      return `[${value.items.map(printGroup).join(', ')}]`;
    case 'Range':
      return `${value.from.raw}..${value.to.raw}${value.step ? ` step ${value.step.raw}` : ''}`;
    case 'Chain':
      return value.stages.map(printGroup).join(' | ');
    case 'Call': {
      const args = value.args.map(printGroup);
      const block = value.block
        ? ` { ${value.block.attributes.map((a) => [a.name.name, ...a.values.map(printGroup)].join(' ')).join(', ')} }`
        : '';
      return `${printGroup(value.callee)}${value.parenthesized ? `(${args.join(', ')})` : args.map((a) => ` ${a}`).join('')}${block}`;
    }
  }
}
