// Human error messages for the parser: say what was expected, and what was found instead.
import { EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import { Newline, quote, Study } from './lexer.ts';

/** What a rule is, in words, for "… in a block" style context. */
const ruleWords: Record<string, string> = {
  study: 'the study',
  studyItem: 'the study',
  dataDeclaration: "a 'data' declaration",
  distributionDeclaration: "a 'distribution' declaration",
  shiftDeclaration: "a 'shift' declaration (shift NAME: in_support|out_of_support = A -> B)",
  modelDeclaration: "a 'model' declaration",
  blockDeclaration: 'a declaration',
  splitDeclaration: "a 'split' declaration",
  expectDeclaration: "an 'expect' line",
  studyAttribute: 'an attribute',
  attribute: 'an attribute',
  block: 'a block',
  value: 'a value',
  literal: 'a value',
  numeric: 'a range',
  list: 'a list',
  chain: 'a chain',
  stage: 'a chain',
  argumentList: 'an argument list',
  expression: 'an expression',
  additive: 'an expression',
  unary: 'an expression',
  atom: 'an expression',
  functionCall: 'a function call',
  groupsClause: "groups ('by [..]')",
};

export function describeToken(token: IToken): string {
  if (token.tokenType === EOF) return 'the end of the file';
  if (token.tokenType === Newline) return 'the end of the line';
  return quote(token.image);
}

function label(type: TokenType): string {
  if (type === EOF) return 'the end of the file';
  return type.LABEL ?? type.name;
}

function oneOf(labels: string[]): string {
  const unique = [...new Set(labels)];
  if (unique.length <= 1) return unique[0] ?? 'something else';
  return `${unique.slice(0, -1).join(', ')} or ${unique.at(-1)}`;
}

function where(ruleName: string): string {
  const words = ruleWords[ruleName];
  return words ? ` in ${words}` : '';
}

export const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    if (expected === Study) return `a .study file starts with 'study NAME {', found ${describeToken(actual)}`;
    return `expected ${label(expected)}${where(ruleName)}, found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    if (firstRedundant.tokenType === Study) return 'a file holds one study; this second one is not read';
    return `unexpected ${describeToken(firstRedundant)} after the end of the study; is there a '}' too many before it?`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, customUserDescription, ruleName }) {
    const expected = customUserDescription ?? oneOf(expectedPathsPerAlt.flat().map((path) => label(path[0]!)));
    return `expected ${expected}${where(ruleName)}, found ${describeToken(actual[0]!)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, customUserDescription, ruleName }) {
    const expected = customUserDescription ?? oneOf(expectedIterationPaths.map((path) => label(path[0]!)));
    return `expected at least one ${expected}${where(ruleName)}, found ${describeToken(actual[0]!)}`;
  },
};
