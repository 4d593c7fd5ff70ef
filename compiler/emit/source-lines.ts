// The .study lines a compiled script quotes above each section: a declaration's lines, found by the
// line its span starts on (the line a builder call's SourceRef names).
import { basename } from 'node:path';
import type { Span } from '../../grammar/ast.ts';
import type { TypedStudy } from '../check/typed.ts';

export interface StudyLines {
  /** `file:line  text` for the declaration starting on `line`, then its further lines (or the first only). */
  quote(line: number, firstOnly?: boolean): string[];
}

export function studyLines(typed: TypedStudy, source: string): StudyLines {
  const lines = source.split(/\r\n|\r|\n/);
  const file = basename(typed.file);
  const lastLine = new Map<number, number>();
  const spans: Span[] = [
    ...[
      typed.data,
      typed.distributions,
      typed.shifts,
      typed.models,
      typed.recipes,
      typed.pretrains,
      typed.groups,
      typed.compares,
      typed.splits,
      typed.expects,
    ]
      .flat()
      .map((declaration) => declaration.span),
  ];
  for (const span of spans) {
    // An exclusive end at column 1 ends on the line before.
    const end = span.endColumn === 1 && span.endLine > span.line ? span.endLine - 1 : span.endLine;
    if (!lastLine.has(span.line)) lastLine.set(span.line, end);
  }
  return {
    quote(line, firstOnly = false) {
      const end = firstOnly ? line : (lastLine.get(line) ?? line);
      const first = lines[line - 1] ?? '';
      const indent = first.length - first.trimStart().length;
      const quoted = [`${file}:${line}  ${first.trim()}`];
      // Further lines keep their indentation relative to the first.
      for (let next = line + 1; next <= end; next++) quoted.push(`  ${(lines[next - 1] ?? '').slice(indent)}`);
      return quoted;
    },
  };
}
