// The grammar's public face: `parse(source, file)` → AST + problems. Never throws on bad input.
import type { IRecognitionException, IToken } from 'chevrotain';
import type { Comment, Document, ParseProblem, ParseResult, Span } from './ast.ts';
import { layout } from './layout.ts';
import { BlockComment, endOffset, LCurly, RCurly, tokenize } from './lexer.ts';
import { parseTokens } from './parser.ts';
import { LineIndex } from './span.ts';

export type * from './ast.ts';
export { visit, type Visitor } from './visitor.ts';
export { astEqual, stripSpans } from './equal.ts';

export function parse(source: string, file: string): ParseResult {
  const lines = new LineIndex(source, file);
  const lexed = tokenize(source);
  const laidOut = layout(lexed.tokens);
  const problems: ParseProblem[] = [...lexed.problems, ...laidOut.problems].map((problem) => ({
    kind: 'lexer',
    message: problem.message,
    span: lines.span(problem.start, problem.end),
  }));

  const parsed = parseTokens(laidOut.tokens, lines);
  for (const error of parsed.errors) {
    const span = errorSpan(error, lines, laidOut.tokens);
    problems.push({ kind: 'syntax', message: error.message + unclosedBraceNote(error, laidOut.tokens, lines), span });
  }
  for (const problem of [...parsed.skipped, ...parsed.problems]) {
    problems.push({ kind: 'syntax', message: problem.message, span: lines.span(problem.start, problem.end) });
  }

  const document: Document = {
    kind: 'Document',
    file,
    source,
    study: parsed.study,
    comments: lexed.comments.map((token) => comment(token, lines)),
    span: lines.span(0, source.length),
  };
  problems.sort((a, b) => a.span.start - b.span.start);
  return { document, problems };
}

/** For a missing `}`: where the `{` it should close was opened, found by matching braces backwards. */
function unclosedBraceNote(error: IRecognitionException, tokens: IToken[], lines: LineIndex): string {
  if (!error.message.startsWith("expected '}'")) return '';
  const before = Number.isFinite(error.token.startOffset) ? error.token.startOffset : Infinity;
  let depth = 0;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i]!;
    if (token.startOffset >= before) continue;
    if (token.tokenType === RCurly) depth++;
    else if (token.tokenType === LCurly && depth-- === 0)
      return ` (to close the '{' on line ${lines.position(token.startOffset).line})`;
  }
  return '';
}

function comment(token: IToken, lines: LineIndex): Comment {
  return {
    kind: 'Comment',
    text: token.image,
    block: token.tokenType === BlockComment,
    span: lines.span(token.startOffset, token.startOffset + token.image.length),
  };
}

/**
 * Where a syntax error points: the offending token, or — when that is the end of the file or a token
 * invented by recovery — just after the last real token before it.
 */
function errorSpan(error: IRecognitionException, lines: LineIndex, tokens: IToken[]): Span {
  const token = error.token;
  if (Number.isFinite(token.startOffset) && !token.isInsertedInRecovery) {
    return lines.span(token.startOffset, token.startOffset + token.image.length);
  }
  const previous = (error as IRecognitionException & { previousToken?: IToken }).previousToken;
  const anchor = previous && Number.isFinite(endOffset(previous)) ? previous : tokens.at(-1);
  const at = anchor !== undefined && Number.isFinite(endOffset(anchor)) ? endOffset(anchor) + 1 : 0;
  return lines.span(at, at);
}
