import type { Diagnostic } from './diagnostic.ts';

export interface RenderOptions {
  /** ANSI colours; callers enable them only on a TTY. */
  color?: boolean;
}

const paint = (on: boolean, code: string, text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

/**
 * `file:line:col: error S1003: message`, then the source line and a caret under the span's start
 * with tildes to its end (clipped to the first line), then `hint: ...` when there is one.
 */
export function renderDiagnostic(diagnostic: Diagnostic, source: string, options: RenderOptions = {}): string {
  const color = options.color ?? false;
  const { span } = diagnostic;
  const severity = paint(color, diagnostic.severity === 'error' ? '1;31' : '1;33', diagnostic.severity);
  const lines = [`${span.file}:${span.line}:${span.column}: ${severity} ${diagnostic.code}: ${diagnostic.message}`];
  const sourceLine = source.split(/\r?\n/)[span.line - 1];
  if (sourceLine !== undefined) {
    const start = Math.max(0, span.column - 1);
    const lastColumn = span.endLine === span.line ? span.endColumn - 1 : sourceLine.length;
    const width = Math.max(1, Math.min(lastColumn, sourceLine.length) - start);
    // Tabs keep their width so the caret lines up under the same character.
    const pad = sourceLine.slice(0, start).replace(/[^\t]/g, ' ');
    lines.push(`  ${sourceLine}`, `  ${pad}${paint(color, '1;32', '^' + '~'.repeat(width - 1))}`);
  }
  if (diagnostic.hint) lines.push(`  ${paint(color, '1;36', 'hint:')} ${diagnostic.hint}`);
  for (const related of diagnostic.related ?? []) {
    lines.push(`  ${related.span.file}:${related.span.line}:${related.span.column}: note: ${related.message}`);
  }
  return lines.join('\n');
}

export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  source: string,
  options: RenderOptions = {},
): string {
  return diagnostics.map((d) => renderDiagnostic(d, source, options)).join('\n\n');
}

/** `N error(s), N warning(s)`. */
export function summarize(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

/** The machine form: one object per file. */
export function diagnosticsToJson(file: string, diagnostics: readonly Diagnostic[]): object {
  return {
    file,
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
    diagnostics: diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      span: d.span,
      ...(d.hint !== undefined ? { hint: d.hint } : {}),
      ...(d.related ? { related: d.related } : {}),
    })),
  };
}
