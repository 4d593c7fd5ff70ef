// Spans (1-based lines and columns, UTF-16 offsets like LSP's default encoding) to LSP ranges, and the
// checker's diagnostics to LSP diagnostics with their docs links.

import { readFileSync } from 'node:fs';
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type Range } from 'vscode-languageserver/node';
import type { Span } from '../../grammar/ast.ts';
import type { Diagnostic } from '../../compiler/diagnostics/index.ts';

export function toRange(span: Span): Range {
  return {
    start: { line: span.line - 1, character: span.column - 1 },
    end: { line: span.endLine - 1, character: span.endColumn - 1 },
  };
}

const DIAGNOSTICS_DOC = new URL('../../docs/diagnostics.md', import.meta.url);

/** Code → its section's anchor in docs/diagnostics.md (`## S1001 — unknown name` → `s1001--unknown-name`, GitHub's slug). */
const anchors: Map<string, string> = (() => {
  const map = new Map<string, string>();
  let text = '';
  try {
    text = readFileSync(DIAGNOSTICS_DOC, 'utf8');
  } catch {
    // An install without docs still links to the file itself.
  }
  for (const match of text.matchAll(/^## (S\d{4})\b(.*)$/gm)) {
    const heading = `${match[1]}${match[2]}`;
    map.set(
      match[1]!,
      heading
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    );
  }
  return map;
})();

export function docsLink(code: string): string {
  return `${DIAGNOSTICS_DOC.href}#${anchors.get(code) ?? code.toLowerCase()}`;
}

export function toLspDiagnostic(diagnostic: Diagnostic, uri: string): LspDiagnostic {
  return {
    range: toRange(diagnostic.span),
    severity: diagnostic.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: diagnostic.code,
    codeDescription: { href: docsLink(diagnostic.code) },
    source: 'shiftlab',
    message: diagnostic.hint ? `${diagnostic.message}\nhint: ${diagnostic.hint}` : diagnostic.message,
    ...(diagnostic.related
      ? {
          relatedInformation: diagnostic.related.map((r) => ({
            location: { uri, range: toRange(r.span) },
            message: r.message,
          })),
        }
      : {}),
  };
}
