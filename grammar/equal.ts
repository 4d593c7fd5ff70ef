// Structural AST comparison that ignores where things are: the formatter moves text, never meaning.
import type { Node } from './ast.ts';

/** Drops the span-like keys; `source` too, since two layouts of one study differ in their text. */
const positional = new Set(['span', 'source']);

/** A deep copy of a node without spans (and without the document's source text). */
export function stripSpans<T>(node: T): T {
  if (Array.isArray(node)) return node.map((item) => stripSpans(item)) as T;
  if (node === null || typeof node !== 'object') return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (!positional.has(key) && value !== undefined) copy[key] = stripSpans(value);
  }
  return copy as T;
}

/** Whether two nodes are the same tree, spans and spellings of whitespace aside. */
export function astEqual(a: Node | null, b: Node | null): boolean {
  return equalValues(stripSpans(a), stripSpans(b));
}

function equalValues(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every(
    (key) => key in b && equalValues((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}
