// Tokens of the .study language. Comments go to their own group (kept for the formatter, invisible to the
// parser); newlines are real tokens because they separate attributes — layout.ts drops the ones that do not.
import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';
import type { OffsetProblem } from './span.ts';

// Categories. `AnyName` is any word (a segment after a dot: `parts.in_support`). `AttributeName` is what may
// name an attribute inside a block: plain names plus the keywords that double as attribute names
// (`model cnn`, `data clothes`, `recipe fit`, `baseline scratch`, an image folder's `split "split"`). The other keywords never name an attribute,
// so after a missing `}` a line starting with `arm`/`expect`/... is recognised as the next declaration.
export const AnyName = createToken({ name: 'AnyName', pattern: Lexer.NA, label: 'a name' });
export const AttributeName = createToken({ name: 'AttributeName', pattern: Lexer.NA, label: 'an attribute name' });
export const ComparisonOperator = createToken({ name: 'ComparisonOperator', pattern: Lexer.NA, label: 'a comparison' });
export const AdditiveOperator = createToken({ name: 'AdditiveOperator', pattern: Lexer.NA, label: "'+' or '-'" });

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [AnyName, AttributeName],
  label: 'a name',
});

function keyword(word: string, namesAttributes = false): TokenType {
  const name = word[0]!.toUpperCase() + word.slice(1);
  return createToken({
    name,
    pattern: word,
    longer_alt: Identifier,
    categories: namesAttributes ? [AnyName, AttributeName] : [AnyName],
    label: `'${word}'`,
  });
}

export const Study = keyword('study');
export const Data = keyword('data', true);
export const Distribution = keyword('distribution');
export const Shift = keyword('shift');
export const Model = keyword('model', true);
export const Recipe = keyword('recipe', true);
export const Pretrain = keyword('pretrain');
export const Baseline = keyword('baseline', true);
export const Arm = keyword('arm');
export const Compare = keyword('compare');
export const Split = keyword('split', true);
export const Expect = keyword('expect');

export const keywords = [
  Study,
  Data,
  Distribution,
  Shift,
  Model,
  Recipe,
  Pretrain,
  Baseline,
  Arm,
  Compare,
  Split,
  Expect,
];
/** The keywords as words (their patterns are plain strings). */
export const keywordWords: readonly string[] = keywords.map((token) => String(token.PATTERN));

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
export const Newline = createToken({ name: 'Newline', pattern: /\r\n?|\n/, line_breaks: true, label: 'a line break' });
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\r\n]*/, group: 'comments' });
// An unterminated block comment runs to the end of the file; tokenize() reports it.
export const BlockComment = createToken({
  name: 'BlockComment',
  pattern: /\/\*(?:[^*]|\*(?!\/))*(?:\*\/)?/,
  line_breaks: true,
  group: 'comments',
});
// An unterminated string stops at the end of its line; tokenize() reports it.
export const StringLiteral = createToken({ name: 'String', pattern: /"(?:[^"\\\r\n]|\\.)*"?/, label: 'a string' });
export const Percent = createToken({
  name: 'Percent',
  pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?%/,
  label: 'a percentage',
});
export const NumberLiteral = createToken({
  name: 'Number',
  pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/,
  label: 'a number',
});

export const Arrow = createToken({ name: 'Arrow', pattern: /->/, label: "'->'" });
export const DotDot = createToken({ name: 'DotDot', pattern: /\.\./, label: "'..'" });
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: "'.'" });
export const GreaterEqual = createToken({
  name: 'GreaterEqual',
  pattern: />=/,
  categories: [ComparisonOperator],
  label: "'>='",
});
export const LessEqual = createToken({
  name: 'LessEqual',
  pattern: /<=/,
  categories: [ComparisonOperator],
  label: "'<='",
});
export const EqualEqual = createToken({
  name: 'EqualEqual',
  pattern: /==/,
  categories: [ComparisonOperator],
  label: "'=='",
});
export const Greater = createToken({ name: 'Greater', pattern: />/, categories: [ComparisonOperator], label: "'>'" });
export const Less = createToken({ name: 'Less', pattern: /</, categories: [ComparisonOperator], label: "'<'" });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: "'='" });
export const Plus = createToken({ name: 'Plus', pattern: /\+/, categories: [AdditiveOperator], label: "'+'" });
export const Minus = createToken({ name: 'Minus', pattern: /-/, categories: [AdditiveOperator], label: "'-'" });
export const LCurly = createToken({ name: 'LCurly', pattern: /\{/, label: "'{'" });
export const RCurly = createToken({ name: 'RCurly', pattern: /\}/, label: "'}'" });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/, label: "']'" });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'" });
export const Pipe = createToken({ name: 'Pipe', pattern: /\|/, label: "'|'" });
// `ft[*]`: every member of a family (a block comment's `/*` is matched before this).
export const Star = createToken({ name: 'Star', pattern: /\*/, label: "'*'" });

/** Order matters: the lexer takes the first pattern that matches, so longer spellings come first. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Newline,
  LineComment,
  BlockComment,
  StringLiteral,
  Percent,
  NumberLiteral,
  Arrow,
  DotDot,
  Dot,
  GreaterEqual,
  LessEqual,
  EqualEqual,
  Greater,
  Less,
  Equals,
  Plus,
  Minus,
  LCurly,
  RCurly,
  LBracket,
  RBracket,
  LParen,
  RParen,
  Comma,
  Colon,
  Pipe,
  Star,
  ...keywords,
  Identifier,
  AnyName,
  AttributeName,
  ComparisonOperator,
  AdditiveOperator,
];

// Validations (pattern sanity checks) run in test/grammar/self-analysis.test.ts, not at every start.
// Only start offsets: spans get their lines and columns from LineIndex, so the lexer's own line tracking (the
// default, 'full') would be paid per token for nothing (it doubled the lexing time of a 0.5 MB study); where a
// token ends is endOffset()'s to say.
export const lexerConfig = { ensureOptimizations: true, positionTracking: 'onlyOffset' } as const;
const lexer = new Lexer(allTokens, { ...lexerConfig, skipValidations: true });

export interface Lexed {
  tokens: IToken[];
  comments: IToken[];
  problems: OffsetProblem[];
}

export function tokenize(source: string): Lexed {
  const result = lexer.tokenize(source);
  const problems: OffsetProblem[] = result.errors.map((error) => {
    const text = source.slice(error.offset, error.offset + error.length);
    return {
      message: `unexpected character${text.length > 1 ? 's' : ''} ${quote(text)}`,
      start: error.offset,
      end: error.offset + error.length,
    };
  });
  const comments = result.groups['comments'] ?? [];
  for (const comment of comments) {
    if (comment.tokenType === BlockComment && !(comment.image.length >= 4 && comment.image.endsWith('*/'))) {
      problems.push({
        message: "unterminated comment: '/*' has no closing '*/'",
        start: comment.startOffset,
        end: comment.startOffset + 2,
      });
    }
  }
  for (const token of result.tokens) {
    if (token.tokenType === StringLiteral && !closes(token.image)) {
      problems.push({
        message: "unterminated string: add a closing '\"' before the end of the line",
        start: token.startOffset,
        end: token.startOffset + token.image.length,
      });
    }
  }
  return { tokens: result.tokens, comments, problems };
}

/**
 * The offset of a token's last character: one before its start for a token recovery invented (empty), NaN for
 * the end of the file. Computed rather than stored, as adding the field to every lexed token cost a property
 * store each (a tenth of a large file's lexing allocations).
 */
export function endOffset(token: IToken): number {
  return token.startOffset + token.image.length - 1;
}

/** Whether a string token's image ends with a real (unescaped) closing quote. */
function closes(image: string): boolean {
  let i = 1;
  while (i < image.length) {
    if (image[i] === '\\') i += 2;
    else if (image[i] === '"') return i === image.length - 1;
    else i++;
  }
  return false;
}

/** Quote source text for a message: short, one line, control characters escaped. */
export function quote(text: string): string {
  const short = text.length > 24 ? `${text.slice(0, 24)}…` : text;
  return `'${short.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`)}'`;
}
