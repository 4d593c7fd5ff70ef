// Which newlines matter. A newline separates attributes and declarations, except where the text obviously
// goes on: inside [ ] and ( ), after a token that needs a right-hand side (`|`, `,`, `->`, `=`, an operator, `expect`),
// before a token that can only continue the previous line (`|`, `->`, `{`), and outside the study's braces.
// Runs of newlines become one.
// This pass also bounds nesting, so a pathological file cannot overflow the recursive-descent parser's stack.
import type { IToken, TokenType } from 'chevrotain';
import * as T from './lexer.ts';
import type { OffsetProblem } from './span.ts';

/** Deeper nesting than this is reported and the rest of the file is not parsed. */
export const MAX_NESTING = 64;

const continuesAfter = new Set<TokenType>([
  T.Pipe,
  T.Comma,
  T.Arrow,
  T.Equals,
  T.Colon,
  T.DotDot,
  T.Dot,
  T.LCurly,
  T.Expect,
  T.Greater,
  T.GreaterEqual,
  T.Less,
  T.LessEqual,
  T.EqualEqual,
  T.Plus,
  T.Minus,
]);
const continuesBefore = new Set<TokenType>([T.Pipe, T.Arrow, T.LCurly]);
const openers = new Set<TokenType>([T.LBracket, T.LParen, T.LCurly]);
const openerOf = new Map<TokenType, TokenType>([
  [T.RBracket, T.LBracket],
  [T.RParen, T.LParen],
  [T.RCurly, T.LCurly],
]);

export function layout(tokens: IToken[]): { tokens: IToken[]; problems: OffsetProblem[] } {
  const kept: IToken[] = [];
  const problems: OffsetProblem[] = [];
  const open: TokenType[] = [];
  let minusRun = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const type = token.tokenType;
    if (type === T.Newline) {
      const previous = kept.at(-1);
      const inside = open.at(-1);
      const next = tokens[i + 1];
      const ignored =
        previous === undefined ||
        open.length === 0 ||
        previous.tokenType === T.Newline ||
        next === undefined ||
        inside === T.LBracket ||
        inside === T.LParen ||
        continuesAfter.has(previous.tokenType) ||
        (next !== undefined && continuesBefore.has(next.tokenType));
      if (!ignored) kept.push(token);
      continue;
    }
    minusRun = type === T.Minus ? minusRun + 1 : 0;
    if (openers.has(type)) open.push(type);
    else if (openerOf.has(type)) {
      // Pop back to the matching opener; an unmatched closer is the parser's to report.
      const at = open.lastIndexOf(openerOf.get(type)!);
      if (at >= 0) open.length = at;
    }
    if (open.length > MAX_NESTING || minusRun > MAX_NESTING) {
      problems.push({
        message: `nesting deeper than ${MAX_NESTING} levels; the rest of the file is not read`,
        start: token.startOffset,
        end: token.startOffset + token.image.length,
      });
      break;
    }
    kept.push(token);
  }
  return { tokens: kept, problems };
}
