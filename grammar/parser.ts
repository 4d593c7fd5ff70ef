// The .study grammar as a Chevrotain CstParser: grammar rules only; the AST is built in build-ast.ts.
// One instance is created (self-analysis is costly) and reused by resetting its input.
import { CstParser, createTokenInstance, EOF, type CstNode, type IToken, type TokenType } from 'chevrotain';
import * as T from './lexer.ts';
import { describeToken, errorMessages } from './messages.ts';
import type { OffsetProblem } from './span.ts';

const lineEnds = new Set<TokenType>([T.Newline, T.Comma, T.RCurly]);
/** Words that start a study item: skipping stops there, so a missing separator or `}` costs one line at most. */
const itemStarts = new Set<TokenType>(T.keywords.filter((keyword) => keyword !== T.Study));
/** Inside a block, only the item keywords that cannot name an attribute. */
const itemStartsInBlock = new Set<TokenType>(
  [...itemStarts].filter((keyword) => !keyword.CATEGORIES?.includes(T.AttributeName)),
);
const openers = new Set<TokenType>([T.LCurly, T.LBracket, T.LParen]);
const openerOf = new Map<TokenType, TokenType>([
  [T.RCurly, T.LCurly],
  [T.RBracket, T.LBracket],
  [T.RParen, T.LParen],
]);

export class StudyParser extends CstParser {
  /** `validate` runs Chevrotain's grammar checks (ambiguity, left recursion): in a test, not at every start. */
  constructor({ validate = false } = {}) {
    super(T.allTokens, {
      recoveryEnabled: true,
      nodeLocationTracking: 'onlyOffset',
      maxLookahead: 3,
      errorMessageProvider: errorMessages,
      skipValidations: !validate,
    });
    this.performSelfAnalysis();
  }

  /** Tokens invented by recovery sit, zero-width, just after the previous real token (never NaN). */
  protected override getTokenToInsert(tokType: TokenType): IToken {
    const previous = this.LA(0);
    const at = Number.isFinite(previous.endOffset) ? previous.endOffset! + 1 : 0;
    const token = createTokenInstance(tokType, '', at, at - 1, NaN, NaN, NaN, NaN);
    token.isInsertedInRecovery = true;
    return token;
  }

  /**
   * Names declared as families in this file. `NAME [` is a member index when NAME is one of them (however it is
   * spaced) or when the `[` touches the name; otherwise it is a name followed by a list (`sweep lr [1e-3, 3e-4]`).
   */
  families = new Set<string>();

  private memberIndexFollows(): boolean {
    const name = this.LA(0);
    const next = this.LA(1);
    return next.tokenType === T.LBracket && (this.families.has(name.image) || next.startOffset === name.endOffset! + 1);
  }

  /** Text skipped by panic-mode recovery at the end of an item (see skipRestOfLine); reset per parse. */
  skipped: OffsetProblem[] = [];

  /** Parses one file's (laid-out) tokens; errors are in `errors` and `skipped` afterwards. */
  parseTokens(tokens: IToken[]): CstNode {
    this.input = tokens;
    this.skipped = [];
    this.families = familyNames(tokens);
    return this.document();
  }

  /**
   * Panic mode for the end of an item: anything between a complete attribute or declaration and the end
   * of its line (a newline, `,` or `}` outside brackets) is reported once and skipped, so one bad line
   * does not hide the lines after it.
   */
  private skipRestOfLine(after: string, stopAt: Set<TokenType>): void {
    this.ACTION(() => {
      const ends = (type: TokenType) => lineEnds.has(type) || stopAt.has(type) || type === EOF;
      const first = this.LA(1);
      if (ends(first.tokenType)) return;
      // Brackets opened in the skipped text are skipped whole; a `}` that closes an enclosing block is not.
      const open: TokenType[] = [];
      let last = first;
      for (let token = first; token.tokenType !== EOF; token = this.LA(1)) {
        const type = token.tokenType;
        if (open.length === 0 && ends(type)) break;
        if (openers.has(type)) open.push(type);
        else if (type === T.RCurly && !open.includes(T.LCurly)) break;
        else if (openerOf.has(type)) {
          const at = open.lastIndexOf(openerOf.get(type)!);
          if (at >= 0) open.length = at; // an unmatched `]` or `)` is just skipped
        }
        last = token;
        this.SKIP_TOKEN();
      }
      this.skipped.push({
        message: `unexpected ${describeToken(first)} ${after}; expected the end of the line (the rest of it is skipped)`,
        start: first.startOffset,
        end: (last.endOffset ?? last.startOffset) + 1,
      });
    });
  }

  document = this.RULE('document', () => {
    this.SUBRULE(this.study);
  });

  separator = this.RULE('separator', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Newline) }, { ALT: () => this.CONSUME(T.Comma) }]);
  });

  study = this.RULE('study', () => {
    this.CONSUME(T.Study);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.separator));
    this.MANY2(() => {
      this.SUBRULE(this.studyItem);
      this.MANY3(() => this.SUBRULE2(this.separator));
    });
    this.CONSUME(T.RCurly);
  });

  studyItem = this.RULE('studyItem', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.dataDeclaration) },
      { ALT: () => this.SUBRULE(this.distributionDeclaration) },
      { ALT: () => this.SUBRULE(this.shiftDeclaration) },
      { ALT: () => this.SUBRULE(this.modelDeclaration) },
      { ALT: () => this.SUBRULE(this.blockDeclaration) },
      { ALT: () => this.SUBRULE(this.splitDeclaration) },
      { ALT: () => this.SUBRULE(this.expectDeclaration) },
      { ALT: () => this.SUBRULE(this.studyAttribute) },
    ]);
    this.skipRestOfLine('after a declaration', itemStarts);
  });

  dataDeclaration = this.RULE('dataDeclaration', () => {
    this.CONSUME(T.Data);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.familyIndices));
    this.CONSUME(T.Equals);
    this.SUBRULE(this.stage, { ARGS: [true] });
  });

  distributionDeclaration = this.RULE('distributionDeclaration', () => {
    this.CONSUME(T.Distribution);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.familyIndices));
    this.CONSUME(T.Equals);
    this.SUBRULE(this.chain, { ARGS: [true] });
  });

  shiftDeclaration = this.RULE('shiftDeclaration', () => {
    this.CONSUME(T.Shift);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.familyIndices));
    this.CONSUME(T.Colon);
    this.CONSUME2(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.reference);
    this.CONSUME(T.Arrow);
    this.SUBRULE2(this.reference);
  });

  modelDeclaration = this.RULE('modelDeclaration', () => {
    this.CONSUME(T.Model);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.familyIndices));
    this.CONSUME(T.Equals);
    this.SUBRULE(this.stage, { ARGS: [true] });
  });

  blockDeclaration = this.RULE('blockDeclaration', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Recipe) },
      { ALT: () => this.CONSUME(T.Pretrain) },
      { ALT: () => this.CONSUME(T.Baseline) },
      { ALT: () => this.CONSUME(T.Arm) },
      { ALT: () => this.CONSUME(T.Compare) },
    ]);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.familyIndices));
    this.SUBRULE(this.block);
  });

  splitDeclaration = this.RULE('splitDeclaration', () => {
    this.CONSUME(T.Split);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.familyIndices));
    this.CONSUME(T.Equals);
    this.SUBRULE(this.stage, { ARGS: [true] });
  });

  expectDeclaration = this.RULE('expectDeclaration', () => {
    this.CONSUME(T.Expect);
    this.OPTION(() => this.SUBRULE(this.familyIndices));
    this.SUBRULE(this.expression);
  });

  /** At study level only plain names start an attribute (`title`, `seed`): keywords start declarations. */
  studyAttribute = this.RULE('studyAttribute', () => {
    this.CONSUME(T.Identifier);
    this.MANY(() => this.SUBRULE(this.value));
  });

  /** Inside a block some keywords name attributes too (`model cnn`, `recipe fit`). */
  attribute = this.RULE('attribute', () => {
    this.CONSUME(T.AttributeName);
    this.MANY(() => this.SUBRULE(this.value));
    this.skipRestOfLine('in an attribute', itemStartsInBlock);
  });

  block = this.RULE('block', () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.separator));
    this.MANY2({
      // `model m = …` can only be a declaration: the block before it is missing its `}`.
      GATE: () => !(T.keywords.includes(this.LA(1).tokenType) && this.LA(3).tokenType === T.Equals),
      DEF: () => {
        this.SUBRULE(this.attribute);
        this.MANY3(() => this.SUBRULE2(this.separator));
      },
    });
    this.CONSUME(T.RCurly);
  });

  value = this.RULE('value', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.literal) }, { ALT: () => this.SUBRULE(this.chain, { ARGS: [false] }) }]);
  });

  literal = this.RULE('literal', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.numeric) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.SUBRULE(this.list) },
    ]);
  });

  /** A number or percentage, possibly negative, possibly the start of a range `4..12 step 2`. */
  numeric = this.RULE('numeric', () => {
    this.SUBRULE(this.signedNumber);
    this.OPTION(() => {
      this.CONSUME(T.DotDot);
      this.SUBRULE2(this.signedNumber);
      this.OPTION2({
        // `step` is a word only here, so it stays usable as a name elsewhere (`schedule step`).
        GATE: () => this.LA(1).image === 'step',
        DEF: () => {
          this.CONSUME(T.Identifier);
          this.SUBRULE3(this.signedNumber);
        },
      });
    });
  });

  signedNumber = this.RULE('signedNumber', () => {
    this.OPTION(() => this.CONSUME(T.Minus));
    this.OR([{ ALT: () => this.CONSUME(T.NumberLiteral) }, { ALT: () => this.CONSUME(T.Percent) }]);
  });

  list = this.RULE('list', () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.value);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.value);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });

  /** `a | b { .. } | c`; `bareArguments` allows `idx "x" "y"` (declaration values only). */
  chain = this.RULE('chain', (bareArguments?: boolean) => {
    this.SUBRULE(this.stage, { ARGS: [bareArguments ?? false] });
    this.MANY(() => {
      this.CONSUME(T.Pipe);
      this.SUBRULE2(this.stage, { ARGS: [bareArguments ?? false] });
    });
  });

  stage = this.RULE('stage', (bareArguments?: boolean) => {
    this.SUBRULE(this.reference);
    this.OPTION(() => this.SUBRULE(this.argumentList));
    this.MANY({ GATE: () => bareArguments === true, DEF: () => this.SUBRULE(this.literal) });
    this.OPTION2(() => this.SUBRULE(this.block));
  });

  argumentList = this.RULE('argumentList', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.value);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.value);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
  });

  reference = this.RULE('reference', () => {
    this.CONSUME(T.Identifier);
    this.OPTION({ GATE: () => this.memberIndexFollows(), DEF: () => this.SUBRULE(this.memberIndex) });
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME(T.AnyName);
      this.OPTION2({ GATE: () => this.memberIndexFollows(), DEF: () => this.SUBRULE2(this.memberIndex) });
    });
  });

  // ------------------------------------------------------------ families

  /** `[p in [0.5, 0.9], s]` after a declaration's name. */
  familyIndices = this.RULE('familyIndices', () => {
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.familyIndex);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.familyIndex);
    });
    this.CONSUME(T.RBracket);
  });

  familyIndex = this.RULE('familyIndex', () => {
    this.CONSUME(T.Identifier);
    this.OPTION({
      // `in` is a word only here, like `step`, so it stays usable as a name elsewhere.
      GATE: () => this.LA(1).image === 'in',
      DEF: () => {
        this.CONSUME2(T.Identifier);
        this.SUBRULE(this.list);
      },
    });
  });

  /** `[0.5]`, `[p]`, `[*]`, `[p, 0.25]` after a name in a reference. */
  memberIndex = this.RULE('memberIndex', () => {
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.memberValue);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.memberValue);
    });
    this.CONSUME(T.RBracket);
  });

  memberValue = this.RULE('memberValue', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.signedNumber) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.Star) },
    ]);
  });

  // ------------------------------------------------------------ expressions (for `expect`)

  expression = this.RULE('expression', () => {
    this.SUBRULE(this.additive);
    this.OPTION(() => {
      this.CONSUME(T.ComparisonOperator);
      this.SUBRULE2(this.additive);
    });
  });

  additive = this.RULE('additive', () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.CONSUME(T.AdditiveOperator);
      this.SUBRULE2(this.unary);
    });
  });

  unary = this.RULE('unary', () => {
    this.MANY(() => this.CONSUME(T.Minus));
    this.SUBRULE(this.atom);
  });

  atom = this.RULE('atom', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.Percent) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.functionCall) },
      { ALT: () => this.SUBRULE(this.reference) },
    ]);
  });

  functionCall = this.RULE('functionCall', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.OR({
        // `by [..]` is told from a member reference `by[..]` by its word alone, hence the gates.
        IGNORE_AMBIGUITIES: true,
        DEF: [
          { GATE: () => this.groupsFollow(1), ALT: () => this.SUBRULE(this.groupsClause) },
          {
            ALT: () => {
              this.SUBRULE(this.expression);
              this.MANY({
                GATE: () => !this.groupsFollow(2),
                DEF: () => {
                  this.CONSUME(T.Comma);
                  this.SUBRULE2(this.expression);
                },
              });
              this.OPTION2(() => {
                this.CONSUME2(T.Comma);
                this.SUBRULE2(this.groupsClause);
              });
            },
          },
        ],
      });
    });
    this.CONSUME(T.RParen);
  });

  /** `by [label, tint]`, last in a call: the groups of a worst-group metric. `by` is a word only here. */
  groupsClause = this.RULE('groupsClause', () => {
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.list);
  });

  private groupsFollow(at: number): boolean {
    return (
      this.LA(at).image === 'by' && this.LA(at).tokenType === T.Identifier && this.LA(at + 1).tokenType === T.LBracket
    );
  }
}

/** Names written `KEYWORD NAME [` at the study's top level: the file's families. */
function familyNames(tokens: IToken[]): Set<string> {
  const names = new Set<string>();
  let depth = 0;
  tokens.forEach((token, i) => {
    if (token.tokenType === T.LCurly) depth++;
    else if (token.tokenType === T.RCurly) depth--;
    else if (
      depth === 1 &&
      itemStarts.has(token.tokenType) &&
      tokens[i + 1]?.tokenType === T.Identifier &&
      tokens[i + 2]?.tokenType === T.LBracket
    ) {
      names.add(tokens[i + 1]!.image);
    }
  });
  return names;
}

export const parser = new StudyParser();
