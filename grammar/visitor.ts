// A small AST walker in the style of graphql-js's `visit`: `enter` runs before a node's children, `leave`
// after; `enter` returning false skips the children. Children are visited in source order.
import type { Expression, FamilyIndices, Node, Reference } from './ast.ts';

export interface Visitor {
  enter?(node: Node, parent: Node | null): boolean | void;
  leave?(node: Node, parent: Node | null): void;
}

/** The direct children of a node, in source order. */
export function children(node: Node): Node[] {
  switch (node.kind) {
    case 'Document':
      return [...(node.study ? [node.study] : [])];
    case 'Study':
      return [node.name, ...node.items];
    case 'Data':
    case 'Model':
    case 'Distribution':
    case 'Split':
      return [node.name, ...indicesOf(node), node.value];
    case 'Shift':
      return [node.name, ...indicesOf(node), node.shiftKind, node.from, node.to];
    case 'Recipe':
    case 'Pretrain':
    case 'Baseline':
    case 'Arm':
    case 'Compare':
      return [node.name, ...indicesOf(node), node.body];
    case 'Expect':
      return [...indicesOf(node), node.expression];
    case 'FamilyIndices':
      return node.items;
    case 'FamilyIndex':
      return [node.name, ...(node.values ? [node.values] : [])];
    case 'MemberIndex':
      return node.values;
    case 'Attribute':
      return [node.name, ...node.values];
    case 'Block':
      return node.attributes;
    case 'Reference':
      return node.path;
    case 'List':
      return node.items;
    case 'Range':
      return [node.from, node.to, ...(node.step ? [node.step] : [])];
    case 'Call':
      return [node.callee, ...node.args, ...(node.block ? [node.block] : [])];
    case 'Chain':
      return node.stages;
    case 'Binary':
      return [node.left, node.right];
    case 'Unary':
      return [node.operand];
    case 'FunctionCall':
      return [node.callee, ...node.args, ...(node.by ? [node.by] : [])];
    case 'Identifier':
      return node.index ? [node.index] : [];
    case 'Wildcard':
    case 'Number':
    case 'Percent':
    case 'String':
    case 'Comment':
      return [];
  }
}

function indicesOf(node: { indices?: FamilyIndices }): Node[] {
  return node.indices ? [node.indices] : [];
}

export function visit(root: Node, visitor: Visitor): void {
  const walk = (node: Node, parent: Node | null): void => {
    if (visitor.enter?.(node, parent) === false) return;
    for (const child of children(node)) walk(child, node);
    visitor.leave?.(node, parent);
  };
  walk(root, null);
}

/** The names an `expect` expression reads, left to right (not the attribute names of a `by [..]` list). */
export function referencesIn(expression: Expression): Reference[] {
  const references: Reference[] = [];
  visit(expression, {
    enter: (node) => {
      if (node.kind === 'Reference') references.push(node);
      return node.kind !== 'List';
    },
  });
  return references;
}
