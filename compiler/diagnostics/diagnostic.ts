import type { ParseProblem, Span } from '../../grammar/ast.ts';
import { Diagnostics, type DiagnosticDefinition, type Severity } from './registry.ts';

export interface RelatedInformation {
  message: string;
  span: Span;
}

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  hint?: string;
  related?: RelatedInformation[];
}

export interface DiagnosticExtras {
  hint?: string;
  related?: RelatedInformation[];
}

/** Fills a registry template (`{0}`, `{1}`…) and attaches the span. */
export function createDiagnostic(
  definition: DiagnosticDefinition,
  span: Span,
  args: readonly (string | number)[] = [],
  extras: DiagnosticExtras = {},
): Diagnostic {
  const message = definition.messageTemplate.replace(/\{(\d+)\}/g, (_, index: string) =>
    String(args[Number(index)] ?? ''),
  );
  const diagnostic: Diagnostic = { code: definition.code, severity: definition.severity, message, span };
  if (extras.hint !== undefined) diagnostic.hint = extras.hint;
  if (extras.related?.length) diagnostic.related = extras.related;
  return diagnostic;
}

export function fromParseProblem(problem: ParseProblem): Diagnostic {
  const definition = problem.kind === 'lexer' ? Diagnostics.lexerError : Diagnostics.syntaxError;
  return createDiagnostic(definition, problem.span, [problem.message]);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** File order, then position; stable for equal positions. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.span.file.localeCompare(b.span.file) || a.span.start - b.span.start || a.code.localeCompare(b.code),
  );
}
