// The canonical .study printer: `format(parse(source).document)`. Lossless (every comment kept),
// idempotent, and meaning-preserving (the AST of the output equals the input's, spans aside).

import type { Document } from '../../grammar/ast.ts';
import { attachComments, LineIndex } from './comments.ts';
import { render } from './doc.ts';
import { Printer } from './print.ts';

/** The column a line may reach before a block or list that could be on one line is expanded. */
export const LINE_WIDTH = 100;

export function format(document: Document): string {
  const lines = new LineIndex(document.source);
  const comments = attachComments(document, lines);
  return render(new Printer(document, comments, lines).printDocument(), LINE_WIDTH);
}
