// Plain values as TypeScript expressions, built as AST nodes and printed by the TypeScript printer, so
// every string (titles, paths, source text) becomes a properly escaped literal whatever it contains.
import { ts } from 'ts-morph';

/** Returns an expression to use instead of `value` (a handle's variable, a named constant), or undefined. */
export type Substitute = (value: unknown, key: string | undefined) => ts.Expression | undefined;

const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
const scratchFile = ts.createSourceFile('literal.ts', '', ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);

export function printExpression(node: ts.Expression): string {
  return printer.printNode(ts.EmitHint.Expression, node, scratchFile);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function toExpression(value: unknown, substitute: Substitute = () => undefined, key?: string): ts.Expression {
  const substituted = substitute(value, key);
  if (substituted) return substituted;
  const f = ts.factory;
  if (value === null) return f.createNull();
  if (typeof value === 'boolean') return value ? f.createTrue() : f.createFalse();
  if (typeof value === 'string') return f.createStringLiteral(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot emit the number ${value}`);
    const literal = f.createNumericLiteral(String(Math.abs(value)));
    return value < 0 ? f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, literal) : literal;
  }
  if (Array.isArray(value)) return f.createArrayLiteralExpression(value.map((item) => toExpression(item, substitute)));
  if (typeof value === 'object') {
    const properties = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .map(([name, item]) => f.createPropertyAssignment(propertyName(name), toExpression(item, substitute, name)));
    return f.createObjectLiteralExpression(properties, false);
  }
  throw new TypeError(`cannot emit a ${typeof value}`);
}

export function propertyName(name: string): ts.PropertyName {
  return IDENTIFIER.test(name) ? ts.factory.createIdentifier(name) : ts.factory.createStringLiteral(name);
}

/** `object.name`, or `object["name"]` when the name is no identifier. */
export function memberAccess(object: string, name: string): ts.Expression {
  const target = ts.factory.createIdentifier(object);
  return IDENTIFIER.test(name)
    ? ts.factory.createPropertyAccessExpression(target, name)
    : ts.factory.createElementAccessExpression(target, ts.factory.createStringLiteral(name));
}
