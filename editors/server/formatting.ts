// Formatting: the project's formatter's output as one edit over the whole document; refused (an error the
// editor shows) while the file has syntax errors, since the printer needs a complete tree.

import { LSPErrorCodes, ResponseError, type TextEdit } from 'vscode-languageserver/node';
import { format } from '../../compiler/format/index.ts';
import type { Analysis } from './analysis.ts';
import { toRange } from './convert.ts';

export function formatDocument(analysis: Analysis): TextEdit[] {
  const first = analysis.problems[0];
  if (first) {
    const count = analysis.problems.length;
    throw new ResponseError(
      LSPErrorCodes.RequestFailed,
      `cannot format: ${count} syntax error${count === 1 ? '' : 's'} (first on line ${first.span.line}: ${first.message})`,
    );
  }
  const source = analysis.document.source;
  const formatted = format(analysis.document);
  if (formatted === source) return [];
  return [{ range: toRange(analysis.document.span), newText: formatted }];
}
