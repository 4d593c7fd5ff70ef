// Offsets → spans. Lines and columns are computed from offsets here, never taken from the lexer, so every
// span (including those of tokens invented by error recovery) is consistent and inside the file.
import type { Span } from './ast.ts';

/** A problem located by offsets only; parse() turns it into a ParseProblem with a full span. */
export interface OffsetProblem {
  message: string;
  start: number;
  end: number;
}

export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly source: string,
    readonly file: string,
  ) {
    for (let i = 0; i < source.length; i++) {
      const ch = source.charCodeAt(i);
      // \r\n counts once; a lone \r is a line break too (the lexer agrees).
      if (ch === 10 || (ch === 13 && source.charCodeAt(i + 1) !== 10)) this.lineStarts.push(i + 1);
    }
  }

  /** The line (0-based) of the last offset looked up: the parser asks for nearby offsets in turn. */
  private lastLine = 0;

  /** 1-based line and column of an offset, clamped into the file. */
  position(offset: number): { line: number; column: number } {
    const at = this.clamp(offset);
    const line = this.lineOf(at);
    return { line: line + 1, column: at - this.lineStarts[line]! + 1 };
  }

  /** The line (0-based) of an offset inside the file. */
  private lineOf(at: number): number {
    const starts = this.lineStarts;
    const hint = this.lastLine;
    if (starts[hint]! <= at && (hint + 1 === starts.length || at < starts[hint + 1]!)) return hint;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= at) low = mid;
      else high = mid - 1;
    }
    this.lastLine = low;
    return low;
  }

  /**
   * The span [start, end); `end` is exclusive, and so is endColumn (the column just past the last character).
   * Spans are most of what a parse allocates, so this builds no intermediate positions.
   */
  span(start: number, end: number): Span {
    const from = this.clamp(start);
    const to = Math.max(from, this.clamp(end));
    const line = this.lineOf(from);
    const endLine = this.lineOf(to);
    return {
      file: this.file,
      start: from,
      end: to,
      line: line + 1,
      column: from - this.lineStarts[line]! + 1,
      endLine: endLine + 1,
      endColumn: to - this.lineStarts[endLine]! + 1,
    };
  }

  clamp(offset: number): number {
    if (!Number.isFinite(offset)) return this.source.length;
    return Math.min(Math.max(0, Math.trunc(offset)), this.source.length);
  }
}
