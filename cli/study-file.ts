// Reading a study's text and rendering its diagnostics, without the checker: fmt, which only parses, needs no
// more.
import { readFileSync } from 'node:fs';
import { renderDiagnostics, type Diagnostic } from '../compiler/diagnostics/index.ts';
import { UsageError } from './errors.ts';

/** A study's text; `-` reads standard input. */
export function readStudyFile(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Colour for a stream that is a terminal, unless NO_COLOR is set. */
export function colourFor(stream: NodeJS.WriteStream = process.stderr): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

/** Diagnostics with their source lines and carets, for `stream`. */
export function renderFor(
  diagnostics: readonly Diagnostic[],
  source: string,
  stream: NodeJS.WriteStream = process.stderr,
): string {
  return renderDiagnostics([...diagnostics], source, { color: colourFor(stream) });
}
