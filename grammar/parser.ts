// The .study grammar as a Chevrotain EmbeddedActionsParser: each rule builds its AST node as it parses, so no
// concrete syntax tree is allocated and walked a second time. Instances are created once (self-analysis is costly)
// and reused by resetting their input (see parseTokens at the end).
//
// Error recovery may cut a rule short. What the rule had read by then still becomes a node, as a concrete syntax
// tree would have kept it: every rule collects its pieces in a small state object (with the offsets it covers, like
// Chevrotain's node locations), and a rule that fails builds its node from that state and hands it up with the
// exception; the rule that re-synchronises returns it. So every piece is optional when a node is built: a missing
// name becomes an Identifier with name '' and a missing value a Reference to '', placed zero-width where it should
// have been.
import {
  createTokenInstance,
  EmbeddedActionsParser,
  EOF,
  isRecognitionException,
  type IOrAlt,
  type IRecognitionException,
  type IToken,
  type ParserMethod,
  type TokenType,
} from 'chevrotain';
import type * as A from './ast.ts';
import { MAX_NESTING } from './layout.ts';
import * as T from './lexer.ts';
import { describeToken, errorMessages } from './messages.ts';
import { LineIndex, type OffsetProblem } from './span.ts';

const lineEnds = new Set<TokenType>([T.Newline, T.Comma, T.RCurly]);
/** Words that start a study item: skipping stops there, so a missing separator or `}` costs one line at most. */
const itemStarts = new Set<TokenType>(T.keywords.filter((keyword) => keyword !== T.Study));
/** Inside a block, only the item keywords that cannot name an attribute. */
const itemStartsInBlock = new Set<TokenType>(
  [...itemStarts].filter((keyword) => !keyword.CATEGORIES?.includes(T.AttributeName)),
);
const keywordSet = new Set<TokenType>(T.keywords);
const openers = new Set<TokenType>([T.LCurly, T.LBracket, T.LParen]);
const openerOf = new Map<TokenType, TokenType>([
  [T.RCurly, T.LCurly],
  [T.RBracket, T.LBracket],
  [T.RParen, T.LParen],
]);
const blockKinds: Record<string, A.BlockDeclarationKind> = {
  Recipe: 'Recipe',
  Pretrain: 'Pretrain',
  Baseline: 'Baseline',
  Arm: 'Arm',
  Compare: 'Compare',
};
const comparisonOperators = new Set<string>(['>', '>=', '<', '<=', '==']);
const simpleEscapes: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r' };

/**
 * What a rule has read so far: the offsets it covers (first token's start, last token's end; NaN while empty,
 * merged as Chevrotain merges node locations) and which of its slots the sub-rule being parsed fills.
 */
interface Located {
  start: number;
  end: number;
  pending: string | undefined;
}

interface Declared extends Located {
  keyword: IToken | undefined;
  name: IToken | undefined;
  indices: A.FamilyIndices | undefined;
}

/** Where skipRestOfLine stops: the end of a line, of the file, or a token of `stopAt`. */
function endsLine(type: TokenType, stopAt: Set<TokenType>): boolean {
  return lineEnds.has(type) || stopAt.has(type) || type === EOF;
}

/** A recognition exception carrying the node its failed rule built from what it had read. */
type CarryingException = IRecognitionException & { partialNode?: unknown };

function extend(state: Located, start: number, end: number): void {
  if (Number.isNaN(state.start)) {
    state.start = start;
    state.end = end;
  } else if (state.end < end) {
    state.end = end;
  }
}

/** A rule that re-synchronised after an error returns the node it built from what it had read. */
function takePartialNode<N>(error: IRecognitionException): N {
  const carrying = error as CarryingException;
  const node = carrying.partialNode as N;
  delete carrying.partialNode;
  return node;
}
const recovers = { recoveryValueFunc: takePartialNode };
/** A chain's or stage's arguments (made once, not per call): whether bare literals may follow a stage's name. */
const bareStages = { ARGS: [true] as [boolean] };
const plainStages = { ARGS: [false] as [boolean] };

export class StudyParser extends EmbeddedActionsParser {
  /** Whether self-analysis is done: while Chevrotain records the grammar, rules run without building nodes. */
  private analysed = false;
  private lines = new LineIndex('', '');
  /** End of the last real token read, where nodes that recovery left empty are placed. */
  private cursor = 0;
  /** The offsets the sub-rule that just returned (or failed) covered, for its caller to merge. */
  private childStart = NaN;
  private childEnd = NaN;

  /** `validate` runs Chevrotain's grammar checks (ambiguity, left recursion): in a test, not at every start. */
  constructor({ validate = false, recover = true } = {}) {
    super(T.allTokens, {
      recoveryEnabled: recover,
      maxLookahead: 3,
      errorMessageProvider: errorMessages,
      skipValidations: !validate,
    });
    this.performSelfAnalysis();
    this.analysed = true;
  }

  /** Tokens invented by recovery sit, zero-width, just after the previous real token (never NaN). */
  protected override getTokenToInsert(tokType: TokenType): IToken {
    const previous = this.LA(0);
    const at = Number.isFinite(T.endOffset(previous)) ? T.endOffset(previous) + 1 : 0;
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
    return (
      next.tokenType === T.LBracket && (this.families.has(name.image) || next.startOffset === T.endOffset(name) + 1)
    );
  }

  /** Text skipped by panic-mode recovery at the end of an item (see skipRestOfLine); reset per parse. */
  skipped: OffsetProblem[] = [];
  /** Problems found while building nodes (a number too large, an unknown escape, ...); reset per parse. */
  problems: OffsetProblem[] = [];

  /** Parses one file's (laid-out) tokens; errors are in `errors`, `skipped` and `problems` afterwards. */
  parseTokens(tokens: IToken[], lines: LineIndex): A.Study | null {
    this.input = tokens;
    this.lines = lines;
    this.cursor = 0;
    this.skipped = [];
    this.problems = [];
    this.families = familyNames(tokens);
    return this.document() ?? null;
  }

  // ---------------------------------------------------------------- building nodes as rules run

  /** The state of the rule being parsed, for the DSL bodies built once (see within() and alternatives()). */
  private current: Located | undefined;

  /** Runs a rule's body on its state, then builds its node; a failing body hands up the node built so far. */
  private node<S extends Located, N>(
    state: S,
    body: (this: this, state: S) => void,
    finish: (this: this, state: S) => N,
  ): N {
    const outer = this.current;
    this.current = state;
    try {
      body.call(this, state);
    } catch (error) {
      throw this.fail(error, state, finish);
    } finally {
      this.current = outer;
    }
    return this.exit(state, finish);
  }

  /**
   * A body for OPTION or MANY built once rather than as a fresh closure at every call (Chevrotain's performance
   * guide; the frequent rules take their bodies so): it reads the state of the rule it runs in.
   */
  private within<S extends Located>(body: (state: S) => void): () => void {
    return () => body(this.current as S);
  }

  private exit<S extends Located, N>(state: S, finish: (this: this, state: S) => N): N {
    const node = this.analysed ? finish.call(this, state) : (undefined as N);
    this.childStart = state.start;
    this.childEnd = state.end;
    return node;
  }

  private fail<S extends Located, N>(error: unknown, state: S, finish: (this: this, state: S) => N): unknown {
    if (!(error instanceof Error) || !isRecognitionException(error)) return error;
    const carrying = error as CarryingException;
    // The sub-rule this rule was in failed first: its partial node fills the slot it was parsed for.
    if ('partialNode' in carrying && state.pending !== undefined)
      this.place(state, state.pending, carrying.partialNode);
    carrying.partialNode = this.exit(state, finish);
    return error;
  }

  private place(state: Located, key: string, value: unknown): void {
    const slots = state as unknown as Record<string, unknown>;
    const slot = slots[key];
    if (Array.isArray(slot)) slot.push(value);
    else slots[key] = value;
    extend(state, this.childStart, this.childEnd);
  }

  /** CONSUME with its occurrence index; the token's offsets extend the rule's. */
  private tok(idx: number, type: TokenType, state: Located): IToken {
    const token = this.consume(idx, type);
    const end = T.endOffset(token);
    extend(state, token.startOffset, end);
    if (Number.isFinite(end)) this.cursor = end + 1;
    return token;
  }

  /** SUBRULE with its occurrence index; the node goes into `key` (pushed when that slot is an array). */
  private sub<S extends Located, ARGS extends unknown[]>(
    idx: number,
    rule: ParserMethod<ARGS, unknown>,
    state: S,
    key: keyof S & string,
    options?: { ARGS: ARGS },
  ): void {
    state.pending = key;
    const value = this.subrule(idx, rule, options);
    this.place(state, key, value);
  }

  /** A separator is read for its offsets only. */
  private separate(idx: number, state: Located): void {
    this.subrule(idx, this.separator);
    extend(state, this.childStart, this.childEnd);
  }

  /** Alternatives for an OR, built once like within()'s bodies: each reads the state of its rule. */
  private alternatives<S extends Located>(alternatives: ((state: S) => unknown)[]): IOrAlt<unknown>[] {
    return alternatives.map((alternative) => ({ ALT: () => alternative(this.current as S) }));
  }

  /** The span a rule's state covers; zero-width at the cursor when recovery left it empty. */
  private span(state: Located): A.Span {
    if (!Number.isFinite(state.start)) return this.lines.span(this.cursor, this.cursor);
    const end = state.end + 1;
    return this.lines.span(state.start, Number.isFinite(end) ? Math.max(state.start, end) : state.start);
  }

  private tokenSpan(token: IToken): A.Span {
    return this.lines.span(this.tokenStart(token), this.tokenEnd(token));
  }

  /** Where a token starts; at the cursor for one recovery invented without offsets. */
  private tokenStart(token: IToken): number {
    return Number.isFinite(token.startOffset) ? token.startOffset : this.cursor;
  }

  /** Where a token ends (exclusive), never before it starts. */
  private tokenEnd(token: IToken): number {
    const start = this.tokenStart(token);
    const last = T.endOffset(token);
    const end = Number.isFinite(last) ? last + 1 : start;
    return Math.max(start, end);
  }

  private cover(from: A.Span, to: A.Span): A.Span {
    return this.lines.span(from.start, Math.max(from.start, to.end));
  }

  private at(span: A.Span): A.Span {
    return this.lines.span(span.start, span.start);
  }

  private identifier(token: IToken): A.Identifier {
    return { kind: 'Identifier', name: token.image, span: this.tokenSpan(token) };
  }

  /** Stands in for a name recovery lost: empty, zero-width at offset `at`. */
  private missingIdentifier(at: number): A.Identifier {
    return { kind: 'Identifier', name: '', span: this.lines.span(at, at) };
  }

  /** A plain name (most references) covers just its token: it shares its identifier's span. */
  private plainReference(token: IToken): A.Reference {
    const identifier = this.identifier(token);
    return { kind: 'Reference', path: [identifier], span: identifier.span };
  }

  /** Stands in for a value recovery lost; its name '' tells later stages to stay quiet about it. */
  private missingReference(at: A.Span): A.Reference {
    const span = this.lines.span(at.end, at.end);
    return { kind: 'Reference', path: [{ kind: 'Identifier', name: '', span }], span };
  }

  private problem(message: string, span: A.Span): void {
    this.problems.push({ message, start: span.start, end: span.end });
  }

  /**
   * Panic mode for the end of an item: anything between a complete attribute or declaration and the end
   * of its line (a newline, `,` or `}` outside brackets) is reported once and skipped, so one bad line
   * does not hide the lines after it.
   */
  private skipRestOfLine(after: string, stopAt: Set<TokenType>): void {
    if (!this.analysed) return; // as ACTION would: nothing to skip while Chevrotain records the grammar
    const first = this.LA(1);
    if (endsLine(first.tokenType, stopAt)) return;
    // Brackets opened in the skipped text are skipped whole; a `}` that closes an enclosing block is not.
    const open: TokenType[] = [];
    let last = first;
    for (let token = first; token.tokenType !== EOF; token = this.LA(1)) {
      const type = token.tokenType;
      if (open.length === 0 && endsLine(type, stopAt)) break;
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
      end: T.endOffset(last) + 1,
    });
  }

  // ---------------------------------------------------------------- structure

  document = this.RULE(
    'document',
    (): A.Study | null =>
      this.node(
        documentState(),
        (s) => this.sub(0, this.study, s, 'study'),
        (s) => s.study ?? null,
      ),
    recovers,
  );

  private readonly separators: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(T.Newline) },
    { ALT: () => this.CONSUME(T.Comma) },
  ];

  separator = this.RULE('separator', () => {
    const token = this.OR(this.separators);
    if (!this.analysed) return; // while Chevrotain records the grammar, OR returns a placeholder
    this.childStart = token.startOffset;
    this.childEnd = T.endOffset(token);
  });

  study = this.RULE(
    'study',
    (): A.Study =>
      this.node(
        studyState(),
        (s) => {
          s.keyword = this.tok(0, T.Study, s);
          s.name = this.tok(0, T.Identifier, s);
          this.tok(0, T.LCurly, s);
          this.MANY(() => this.separate(0, s));
          this.MANY2(() => {
            this.sub(0, this.studyItem, s, 'items');
            this.MANY3(() => this.separate(2, s));
          });
          this.tok(0, T.RCurly, s);
        },
        this.studyNode,
      ),
    recovers,
  );

  studyItem = this.RULE(
    'studyItem',
    (): A.StudyItem | undefined => this.node(studyItemState(), this.studyItemBody, studyItemNode),
    recovers,
  );

  private studyItemBody(): void {
    this.or(0, this.studyItems);
    this.skipRestOfLine('after a declaration', itemStarts);
  }

  private readonly studyItems = this.alternatives<ReturnType<typeof studyItemState>>([
    (s) => this.sub(0, this.dataDeclaration, s, 'item'),
    (s) => this.sub(0, this.distributionDeclaration, s, 'item'),
    (s) => this.sub(0, this.shiftDeclaration, s, 'item'),
    (s) => this.sub(0, this.modelDeclaration, s, 'item'),
    (s) => this.sub(0, this.blockDeclaration, s, 'item'),
    (s) => this.sub(0, this.splitDeclaration, s, 'item'),
    (s) => this.sub(0, this.expectDeclaration, s, 'item'),
    (s) => this.sub(0, this.studyAttribute, s, 'item'),
  ]);

  /** The span, name and family indices every declaration has. */
  private declaration(s: Declared): { span: A.Span; name: A.Identifier; indices?: A.FamilyIndices } {
    const span = this.span(s);
    const name = s.name
      ? this.identifier(s.name)
      : this.missingIdentifier(s.keyword ? this.tokenEnd(s.keyword) : span.start);
    return s.indices ? { span, name, indices: s.indices } : { span, name };
  }

  /** `KEYWORD NAME [indices] =`, the head of the declarations whose value follows an `=`. */
  private valueHead(keyword: TokenType, s: Declared): void {
    s.keyword = this.tok(0, keyword, s);
    s.name = this.tok(0, T.Identifier, s);
    this.OPTION(() => this.sub(0, this.familyIndices, s, 'indices'));
    this.tok(0, T.Equals, s);
  }

  dataDeclaration = this.RULE(
    'dataDeclaration',
    (): A.DataDeclaration =>
      this.node(
        dataDeclarationState(),
        (s) => {
          this.valueHead(T.Data, s);
          this.sub(0, this.stage, s, 'value', bareStages);
        },
        this.dataDeclarationNode,
      ),
    recovers,
  );

  distributionDeclaration = this.RULE(
    'distributionDeclaration',
    (): A.DistributionDeclaration =>
      this.node(
        distributionDeclarationState(),
        (s) => {
          this.valueHead(T.Distribution, s);
          this.sub(0, this.chain, s, 'value', bareStages);
        },
        this.distributionDeclarationNode,
      ),
    recovers,
  );

  shiftDeclaration = this.RULE(
    'shiftDeclaration',
    (): A.ShiftDeclaration =>
      this.node(
        shiftDeclarationState(),
        (s) => {
          s.keyword = this.tok(0, T.Shift, s);
          s.name = this.tok(0, T.Identifier, s);
          this.OPTION(() => this.sub(0, this.familyIndices, s, 'indices'));
          this.tok(0, T.Colon, s);
          s.shiftKind = this.tok(2, T.Identifier, s);
          this.tok(0, T.Equals, s);
          this.sub(0, this.reference, s, 'from');
          this.tok(0, T.Arrow, s);
          this.sub(2, this.reference, s, 'to');
        },
        this.shiftDeclarationNode,
      ),
    recovers,
  );

  modelDeclaration = this.RULE(
    'modelDeclaration',
    (): A.ModelDeclaration =>
      this.node(
        modelDeclarationState(),
        (s) => {
          this.valueHead(T.Model, s);
          this.sub(0, this.stage, s, 'value', bareStages);
        },
        this.modelDeclarationNode,
      ),
    recovers,
  );

  private readonly blockKeywords = this.alternatives(
    [T.Recipe, T.Pretrain, T.Baseline, T.Arm, T.Compare].map((keyword) => (s: Located) => this.tok(0, keyword, s)),
  );

  blockDeclaration = this.RULE(
    'blockDeclaration',
    (): A.BlockDeclaration =>
      this.node(
        blockDeclarationState(),
        (s) => {
          s.keyword = this.or(0, this.blockKeywords) as IToken;
          s.name = this.tok(0, T.Identifier, s);
          this.OPTION(() => this.sub(0, this.familyIndices, s, 'indices'));
          this.sub(0, this.block, s, 'body');
        },
        this.blockDeclarationNode,
      ),
    recovers,
  );

  splitDeclaration = this.RULE(
    'splitDeclaration',
    (): A.SplitDeclaration =>
      this.node(
        splitDeclarationState(),
        (s) => {
          this.valueHead(T.Split, s);
          this.sub(0, this.stage, s, 'value', bareStages);
        },
        this.splitDeclarationNode,
      ),
    recovers,
  );

  expectDeclaration = this.RULE(
    'expectDeclaration',
    (): A.ExpectDeclaration =>
      this.node(
        expectDeclarationState(),
        (s) => {
          this.tok(0, T.Expect, s);
          this.OPTION(() => this.sub(0, this.familyIndices, s, 'indices'));
          this.sub(0, this.expression, s, 'expression');
        },
        this.expectDeclarationNode,
      ),
    recovers,
  );

  /** At study level only plain names start an attribute (`title`, `seed`): keywords start declarations. */
  studyAttribute = this.RULE(
    'studyAttribute',
    (): A.Attribute =>
      this.node(
        attributeState(),
        (s) => {
          s.name = this.tok(0, T.Identifier, s);
          this.MANY(() => this.sub(0, this.value, s, 'values'));
        },
        this.attributeNode,
      ),
    recovers,
  );

  /**
   * Inside a block some keywords name attributes too (`model cnn`, `recipe fit`). A block may follow the values
   * (`reweight last_layer on s balanced_by [label] { C 0.01 }`): the attribute's own options. After a name the
   * value's stage takes it first (`recipe fit { epochs 3 }`); attributeNode gives it back where that means nothing.
   */
  attribute = this.RULE(
    'attribute',
    (): A.Attribute => this.node(attributeState(), this.attributeBody, this.attributeNode),
    recovers,
  );

  private attributeBody(s: ReturnType<typeof attributeState>): void {
    s.name = this.tok(0, T.AttributeName, s);
    this.MANY(this.attributeValues);
    this.OPTION(this.attributeBlock);
    this.skipRestOfLine('in an attribute', itemStartsInBlock);
  }

  private readonly attributeValues = this.within((s: ReturnType<typeof attributeState>) =>
    this.sub(0, this.value, s, 'values'),
  );
  private readonly attributeBlock = this.within((s: ReturnType<typeof attributeState>) =>
    this.sub(0, this.block, s, 'block'),
  );

  private attributeNode(s: ReturnType<typeof attributeState>): A.Attribute {
    const span = this.span(s);
    const name = s.name ? this.identifier(s.name) : this.missingIdentifier(span.start);
    const { values, block } = s;
    if (block) return { kind: 'Attribute', name, values, block, span };
    // A block after a dotted name (`on target.val { C 0.01 }`) was taken by the value's stage, but a call on a
    // dotted name means nothing (builtins and recipes are plain names): it is the attribute's options.
    const last = values[values.length - 1];
    if (
      last?.kind === 'Call' &&
      last.block &&
      last.callee.path.length > 1 &&
      !last.parenthesized &&
      !last.args.length
    ) {
      values[values.length - 1] = last.callee;
      return { kind: 'Attribute', name, values, block: last.block, span };
    }
    return { kind: 'Attribute', name, values, span };
  }

  block = this.RULE('block', (): A.Block => this.node(blockState(), this.blockBody, this.blockNode), recovers);

  private blockBody(s: ReturnType<typeof blockState>): void {
    this.tok(0, T.LCurly, s);
    this.MANY(this.leadingSeparators);
    this.MANY2(this.blockAttributes);
    this.tok(0, T.RCurly, s);
  }

  private readonly leadingSeparators = this.within((s) => this.separate(0, s));
  private readonly blockAttributes = {
    // `model m = …` can only be a declaration: the block before it is missing its `}`.
    GATE: () => !(keywordSet.has(this.LA(1).tokenType) && this.LA(3).tokenType === T.Equals),
    DEF: this.within((s: ReturnType<typeof blockState>) => {
      this.sub(0, this.attribute, s, 'attributes');
      this.MANY3(this.trailingSeparators);
    }),
  };
  private readonly trailingSeparators = this.within((s) => this.separate(2, s));

  // ---------------------------------------------------------------- values

  private readonly values = this.alternatives<ReturnType<typeof valueState>>([
    (s) => this.sub(0, this.literal, s, 'inner'),
    (s) => this.sub(0, this.chain, s, 'inner', plainStages),
  ]);

  value = this.RULE('value', (): A.Value => this.node(valueState(), this.valueBody, this.valueNode), recovers);

  private valueBody(): void {
    this.or(0, this.values);
  }

  private readonly literals = this.alternatives<ReturnType<typeof literalState>>([
    (s) => this.sub(0, this.numeric, s, 'inner'),
    (s) => (s.text = this.tok(0, T.StringLiteral, s)),
    (s) => this.sub(0, this.list, s, 'inner'),
  ]);

  literal = this.RULE(
    'literal',
    (): A.Value => this.node(literalState(), this.literalBody, this.literalNode),
    recovers,
  );

  private literalBody(): void {
    this.or(0, this.literals);
  }

  /** A number or percentage, possibly negative, possibly the start of a range `4..12 step 2`. */
  numeric = this.RULE(
    'numeric',
    (): A.NumberLiteral | A.PercentLiteral | A.RangeValue =>
      this.node(
        numericState(),
        (s) => {
          this.sub(0, this.signedNumber, s, 'numbers');
          this.OPTION(() => {
            s.range = this.tok(0, T.DotDot, s);
            this.sub(2, this.signedNumber, s, 'numbers');
            this.OPTION2({
              // `step` is a word only here, so it stays usable as a name elsewhere (`schedule step`).
              GATE: () => this.LA(1).image === 'step',
              DEF: () => {
                s.step = this.tok(0, T.Identifier, s);
                this.sub(3, this.signedNumber, s, 'numbers');
              },
            });
          });
        },
        this.numericNode,
      ),
    recovers,
  );

  private readonly unsignedNumbers = this.alternatives<ReturnType<typeof signedNumberState>>([
    (s) => (s.digits = this.tok(0, T.NumberLiteral, s)),
    (s) => (s.digits = this.tok(0, T.Percent, s)),
  ]);

  signedNumber = this.RULE(
    'signedNumber',
    (): A.NumberLiteral | A.PercentLiteral =>
      this.node(
        signedNumberState(),
        (s) => {
          this.OPTION(() => (s.minus = this.tok(0, T.Minus, s)));
          this.or(0, this.unsignedNumbers);
        },
        this.signedNumberNode,
      ),
    recovers,
  );

  /** A Number or Percent from its token (missing when recovery lost it); `negative` folds a leading `-` in. */
  private numberLiteral(
    token: IToken | undefined,
    negative: boolean,
    span: A.Span,
  ): A.NumberLiteral | A.PercentLiteral {
    const digits = token?.image ?? '';
    const percent = token?.tokenType === T.Percent;
    const magnitude = Number(percent ? digits.slice(0, -1) : digits);
    const value = negative ? -magnitude : magnitude;
    if (!Number.isFinite(value)) this.problem(`the number ${digits} is too large`, span);
    const raw = negative ? `-${digits}` : digits;
    return percent ? { kind: 'Percent', value, raw, span } : { kind: 'Number', value, raw, span };
  }

  private string(token: IToken): A.StringLiteral {
    const span = this.tokenSpan(token);
    const raw = token.image;
    const body = raw.length >= 2 && raw.endsWith('"') ? raw.slice(1, -1) : raw.slice(1);
    return { kind: 'String', value: body.includes('\\') ? this.unescape(body, span.start + 1) : body, raw, span };
  }

  /** Resolves \" \\ \n \t \r and \u{HEX}; an unknown escape is reported and kept as written. */
  private unescape(body: string, offset: number): string {
    return body.replace(
      /\\(u\{([0-9a-fA-F]{1,6})\}|.?)/g,
      (whole, escape: string, hex: string | undefined, at: number) => {
        if (hex !== undefined) {
          const code = parseInt(hex, 16);
          if (code <= 0x10ffff) return String.fromCodePoint(code);
        } else if (escape in simpleEscapes) {
          return simpleEscapes[escape]!;
        }
        const where = this.lines.span(offset + at, offset + at + whole.length);
        this.problem(
          `unknown escape ${JSON.stringify(whole)} in a string (known: \\" \\\\ \\n \\t \\r \\u{HEX})`,
          where,
        );
        return whole;
      },
    );
  }

  list = this.RULE(
    'list',
    (): A.ListValue =>
      this.node(
        listState(),
        (s) => {
          this.tok(0, T.LBracket, s);
          this.OPTION(() => {
            this.sub(0, this.value, s, 'items');
            this.MANY(() => {
              this.tok(0, T.Comma, s);
              this.sub(2, this.value, s, 'items');
            });
            this.OPTION2(() => this.tok(2, T.Comma, s));
          });
          this.tok(0, T.RBracket, s);
        },
        this.listNode,
      ),
    recovers,
  );

  /** `a | b { .. } | c`; `bareArguments` allows `idx "x" "y"` (declaration values only). */
  chain = this.RULE(
    'chain',
    (bareArguments?: boolean): A.Reference | A.CallValue | A.ChainValue =>
      this.node(chainState(bareArguments), this.chainBody, this.chainNode),
    recovers,
  );

  private chainBody(s: ReturnType<typeof chainState>): void {
    this.sub(0, this.stage, s, 'stages', s.stageArguments);
    this.MANY(this.chainStages);
  }

  private readonly chainStages = this.within((s: ReturnType<typeof chainState>) => {
    this.tok(0, T.Pipe, s);
    this.sub(2, this.stage, s, 'stages', s.stageArguments);
  });

  stage = this.RULE(
    'stage',
    (bareArguments?: boolean): A.Reference | A.CallValue =>
      this.node(stageState(bareArguments), this.stageBody, this.stageNode),
    recovers,
  );

  private stageBody(s: ReturnType<typeof stageState>): void {
    this.sub(0, this.reference, s, 'callee');
    this.OPTION(this.stageArguments);
    this.MANY(this.stageBareArguments);
    this.OPTION2(this.stageBlock);
  }

  private readonly stageArguments = this.within((s: ReturnType<typeof stageState>) =>
    this.sub(0, this.argumentList, s, 'args'),
  );
  private readonly stageBareArguments = {
    GATE: () => (this.current as ReturnType<typeof stageState>).bareArguments,
    DEF: this.within((s: ReturnType<typeof stageState>) => this.sub(0, this.literal, s, 'bare')),
  };
  private readonly stageBlock = this.within((s: ReturnType<typeof stageState>) => this.sub(0, this.block, s, 'block'));

  argumentList = this.RULE(
    'argumentList',
    (): A.Value[] =>
      this.node(
        argumentListState(),
        (s) => {
          this.tok(0, T.LParen, s);
          this.OPTION(() => {
            this.sub(0, this.value, s, 'values');
            this.MANY(() => {
              this.tok(0, T.Comma, s);
              this.sub(2, this.value, s, 'values');
            });
            this.OPTION2(() => this.tok(2, T.Comma, s));
          });
          this.tok(0, T.RParen, s);
        },
        (s) => s.values,
      ),
    recovers,
  );

  reference = this.RULE(
    'reference',
    (): A.Reference => this.node(referenceState(), this.referenceBody, this.referenceNode),
    recovers,
  );

  private referenceBody(s: ReturnType<typeof referenceState>): void {
    s.head = this.tok(0, T.Identifier, s);
    // The gate is asked first, so a plain name (most references) costs no gated OPTION; while Chevrotain
    // records the grammar (before analysis) the OPTION must run.
    if (!this.analysed || this.memberIndexFollows()) this.OPTION(this.headMember);
    this.MANY(this.dottedNames);
  }

  private readonly headMember = this.within((s: ReturnType<typeof referenceState>) => {
    s.owner = 0;
    this.sub(0, this.memberIndex, s, 'member');
    keepMember(s);
  });
  private readonly dottedNames = this.within((s: ReturnType<typeof referenceState>) => {
    const rest = (s.rest ??= []);
    rest.push(this.tok(0, T.Dot, s));
    rest.push(this.tok(0, T.AnyName, s));
    if (!this.analysed || this.memberIndexFollows()) this.OPTION2(this.dottedMember);
  });
  private readonly dottedMember = this.within((s: ReturnType<typeof referenceState>) => {
    s.owner = s.rest!.length / 2;
    this.sub(2, this.memberIndex, s, 'member');
    keepMember(s);
  });

  // ------------------------------------------------------------ families

  /** `[p in [0.5, 0.9], s]` after a declaration's name. */
  familyIndices = this.RULE(
    'familyIndices',
    (): A.FamilyIndices =>
      this.node(
        familyIndicesState(),
        (s) => {
          this.tok(0, T.LBracket, s);
          this.sub(0, this.familyIndex, s, 'items');
          this.MANY(() => {
            this.tok(0, T.Comma, s);
            this.sub(2, this.familyIndex, s, 'items');
          });
          this.tok(0, T.RBracket, s);
        },
        this.familyIndicesNode,
      ),
    recovers,
  );

  familyIndex = this.RULE(
    'familyIndex',
    (): A.FamilyIndex =>
      this.node(
        familyIndexState(),
        (s) => {
          s.name = this.tok(0, T.Identifier, s);
          this.OPTION({
            // `in` is a word only here, like `step`, so it stays usable as a name elsewhere.
            GATE: () => this.LA(1).image === 'in',
            DEF: () => {
              this.tok(2, T.Identifier, s);
              this.sub(0, this.list, s, 'values');
            },
          });
        },
        this.familyIndexNode,
      ),
    recovers,
  );

  /** `[0.5]`, `[p]`, `[*]`, `[p, 0.25]` after a name in a reference. */
  memberIndex = this.RULE(
    'memberIndex',
    (): A.MemberIndex =>
      this.node(
        memberIndexState(),
        (s) => {
          this.tok(0, T.LBracket, s);
          this.sub(0, this.memberValue, s, 'values');
          this.MANY(() => {
            this.tok(0, T.Comma, s);
            this.sub(2, this.memberValue, s, 'values');
          });
          this.tok(0, T.RBracket, s);
        },
        this.memberIndexNode,
      ),
    recovers,
  );

  private readonly memberValues = this.alternatives<ReturnType<typeof memberValueState>>([
    (s) => this.sub(0, this.signedNumber, s, 'number'),
    (s) => (s.text = this.tok(0, T.StringLiteral, s)),
    (s) => (s.name = this.tok(0, T.Identifier, s)),
    (s) => (s.star = this.tok(0, T.Star, s)),
  ]);

  memberValue = this.RULE(
    'memberValue',
    (): A.MemberValue => this.node(memberValueState(), this.memberValueBody, this.memberValueNode),
    recovers,
  );

  private memberValueBody(): void {
    this.or(0, this.memberValues);
  }

  // ------------------------------------------------------------ expressions (for `expect`)

  expression = this.RULE(
    'expression',
    (): A.Expression =>
      this.node(
        expressionState(),
        (s) => {
          this.sub(0, this.additive, s, 'operands');
          this.OPTION(() => {
            s.operator = this.tok(0, T.ComparisonOperator, s);
            this.sub(2, this.additive, s, 'operands');
          });
        },
        this.expressionNode,
      ),
    recovers,
  );

  additive = this.RULE(
    'additive',
    (): A.Expression =>
      this.node(
        additiveState(),
        (s) => {
          this.sub(0, this.unary, s, 'operands');
          this.MANY(() => {
            s.operators.push(this.tok(0, T.AdditiveOperator, s));
            this.sub(2, this.unary, s, 'operands');
          });
        },
        this.additiveNode,
      ),
    recovers,
  );

  unary = this.RULE(
    'unary',
    (): A.Expression =>
      this.node(
        unaryState(),
        (s) => {
          this.MANY(() => s.minuses.push(this.tok(0, T.Minus, s)));
          this.sub(0, this.atom, s, 'atom');
        },
        this.unaryNode,
      ),
    recovers,
  );

  private readonly atoms = this.alternatives<ReturnType<typeof atomState>>([
    (s) => (s.number = this.tok(0, T.NumberLiteral, s)),
    (s) => (s.number = this.tok(0, T.Percent, s)),
    (s) => {
      this.tok(0, T.LParen, s);
      this.sub(0, this.expression, s, 'inner');
      this.tok(0, T.RParen, s);
    },
    (s) => this.sub(0, this.functionCall, s, 'inner'),
    (s) => this.sub(0, this.reference, s, 'inner'),
  ]);

  atom = this.RULE('atom', (): A.Expression => this.node(atomState(), this.atomBody, this.atomNode), recovers);

  private atomBody(): void {
    this.or(0, this.atoms);
  }

  functionCall = this.RULE(
    'functionCall',
    (): A.FunctionCall =>
      this.node(
        functionCallState(),
        (s) => {
          s.callee = this.tok(0, T.Identifier, s);
          this.tok(0, T.LParen, s);
          this.OPTION(() => {
            this.OR({
              // `by [..]` is told from a member reference `by[..]` by its word alone, hence the gates.
              IGNORE_AMBIGUITIES: true,
              DEF: [
                { GATE: () => this.groupsFollow(1), ALT: () => this.sub(0, this.groupsClause, s, 'by') },
                {
                  ALT: () => {
                    this.sub(0, this.expression, s, 'args');
                    this.MANY({
                      GATE: () => !this.groupsFollow(2),
                      DEF: () => {
                        this.tok(0, T.Comma, s);
                        this.sub(2, this.expression, s, 'args');
                      },
                    });
                    this.OPTION2(() => {
                      this.tok(2, T.Comma, s);
                      this.sub(2, this.groupsClause, s, 'by');
                    });
                  },
                },
              ],
            });
          });
          this.tok(0, T.RParen, s);
        },
        this.functionCallNode,
      ),
    recovers,
  );

  /** `by [label, tint]`, last in a call: the groups of a worst-group metric. `by` is a word only here. */
  groupsClause = this.RULE(
    'groupsClause',
    (): A.ListValue =>
      this.node(
        groupsClauseState(),
        (s) => {
          this.tok(0, T.Identifier, s);
          this.sub(0, this.list, s, 'list');
        },
        this.groupsClauseNode,
      ),
    recovers,
  );

  // ---------------------------------------------------------------- the node each rule builds

  private studyNode(s: ReturnType<typeof studyState>): A.Study {
    const { span, name } = this.declaration(s);
    const items = s.items.filter((item): item is A.StudyItem => item !== undefined);
    return { kind: 'Study', name, items, span };
  }

  private dataDeclarationNode(s: ReturnType<typeof dataDeclarationState>): A.DataDeclaration {
    const { span, name, indices } = this.declaration(s);
    return { kind: 'Data', name, ...(indices && { indices }), value: s.value ?? this.missingReference(span), span };
  }

  private distributionDeclarationNode(s: ReturnType<typeof distributionDeclarationState>): A.DistributionDeclaration {
    const { span, name, indices } = this.declaration(s);
    const value = s.value ?? this.missingReference(span);
    return { kind: 'Distribution', name, ...(indices && { indices }), value, span };
  }

  private shiftDeclarationNode(s: ReturnType<typeof shiftDeclarationState>): A.ShiftDeclaration {
    const { span, name, indices } = this.declaration(s);
    const shiftKind = s.shiftKind ? this.identifier(s.shiftKind) : this.missingIdentifier(name.span.end);
    const from = s.from ?? this.missingReference(span);
    const to = s.to ?? this.missingReference(span);
    return { kind: 'Shift', name, ...(indices && { indices }), shiftKind, from, to, span };
  }

  private modelDeclarationNode(s: ReturnType<typeof modelDeclarationState>): A.ModelDeclaration {
    const { span, name, indices } = this.declaration(s);
    return { kind: 'Model', name, ...(indices && { indices }), value: s.value ?? this.missingReference(span), span };
  }

  private blockDeclarationNode(s: ReturnType<typeof blockDeclarationState>): A.BlockDeclaration {
    const { span, name, indices } = this.declaration(s);
    const kind = (s.keyword && blockKinds[s.keyword.tokenType.name]) ?? 'Recipe';
    const body: A.Block = s.body ?? { kind: 'Block', attributes: [], span: this.lines.span(span.end, span.end) };
    return { kind, name, ...(indices && { indices }), body, span };
  }

  private splitDeclarationNode(s: ReturnType<typeof splitDeclarationState>): A.SplitDeclaration {
    const { span, name, indices } = this.declaration(s);
    const stage = s.value ?? this.missingReference(span);
    const value: A.CallValue =
      stage.kind === 'Call' ? stage : { kind: 'Call', callee: stage, args: [], parenthesized: false, span: stage.span };
    return { kind: 'Split', name, ...(indices && { indices }), value, span };
  }

  private expectDeclarationNode(s: ReturnType<typeof expectDeclarationState>): A.ExpectDeclaration {
    const span = this.span(s);
    const { indices } = s;
    return {
      kind: 'Expect',
      ...(indices && { indices }),
      expression: s.expression ?? this.missingReference(span),
      span,
    };
  }

  private blockNode(s: ReturnType<typeof blockState>): A.Block {
    return { kind: 'Block', attributes: s.attributes, span: this.span(s) };
  }

  private valueNode(s: ReturnType<typeof valueState>): A.Value {
    return s.inner ?? this.missingReference(this.span(s));
  }

  private literalNode(s: ReturnType<typeof literalState>): A.Value {
    if (s.text) return this.string(s.text);
    return s.inner ?? this.missingReference(this.span(s));
  }

  private numericNode(s: ReturnType<typeof numericState>): A.NumberLiteral | A.PercentLiteral | A.RangeValue {
    const span = this.span(s);
    const first = s.numbers[0];
    const second = s.numbers[1];
    const third = s.numbers[2];
    const from = first ?? { kind: 'Number', value: 0, raw: '', span: this.at(span) };
    if (!s.range) return from;
    const plain = (end: A.NumberLiteral | A.PercentLiteral | undefined): A.NumberLiteral => {
      if (!end) return { kind: 'Number', value: 0, raw: '', span: this.lines.span(span.end, span.end) };
      if (end.kind === 'Percent') this.problem('a range is written with plain numbers, not percentages', end.span);
      return { ...end, kind: 'Number' };
    };
    const range: A.RangeValue = { kind: 'Range', from: plain(from), to: plain(second), span };
    if (s.step) range.step = plain(third);
    return range;
  }

  private signedNumberNode(s: ReturnType<typeof signedNumberState>): A.NumberLiteral | A.PercentLiteral {
    return this.numberLiteral(s.digits, s.minus !== undefined, this.span(s));
  }

  private listNode(s: ReturnType<typeof listState>): A.ListValue {
    return { kind: 'List', items: s.items, span: this.span(s) };
  }

  private chainNode(s: ReturnType<typeof chainState>): A.Reference | A.CallValue | A.ChainValue {
    const { stages } = s;
    if (stages.length === 1) return stages[0]!;
    const span = this.span(s);
    if (stages.length === 0) return this.missingReference(span);
    return { kind: 'Chain', stages, span };
  }

  private stageNode(s: ReturnType<typeof stageState>): A.Reference | A.CallValue {
    const { args, bare, block } = s;
    if (s.callee && !args && !block && bare.length === 0) return s.callee;
    const span = this.span(s);
    const callee = s.callee ?? this.missingReference(this.at(span));
    if (!args && !block && bare.length === 0) return callee;
    const call: A.CallValue = {
      kind: 'Call',
      callee,
      args: args ? [...args, ...bare] : bare,
      parenthesized: args !== undefined,
      span,
    };
    if (block) call.block = block;
    return call;
  }

  private referenceNode(s: ReturnType<typeof referenceState>): A.Reference {
    keepMember(s); // one that recovery cut short
    if (s.head && !s.rest && !s.members) return this.plainReference(s.head);
    const span = this.span(s);
    const path = [s.head ? this.identifier(s.head) : this.missingIdentifier(span.start)];
    const rest = s.rest ?? [];
    for (let i = 0; i < rest.length; i += 2) {
      const name = rest[i + 1];
      path.push(name ? this.identifier(name) : this.missingIdentifier(this.tokenEnd(rest[i]!)));
    }
    for (const [owner, member] of s.members ?? []) path[Math.min(owner, path.length - 1)]!.index = member;
    return { kind: 'Reference', path, span };
  }

  private familyIndicesNode(s: ReturnType<typeof familyIndicesState>): A.FamilyIndices {
    return { kind: 'FamilyIndices', items: s.items, span: this.span(s) };
  }

  private familyIndexNode(s: ReturnType<typeof familyIndexState>): A.FamilyIndex {
    const span = this.span(s);
    const name = s.name ? this.identifier(s.name) : this.missingIdentifier(span.start);
    return s.values ? { kind: 'FamilyIndex', name, values: s.values, span } : { kind: 'FamilyIndex', name, span };
  }

  private memberIndexNode(s: ReturnType<typeof memberIndexState>): A.MemberIndex {
    return { kind: 'MemberIndex', values: s.values, span: this.span(s) };
  }

  private memberValueNode(s: ReturnType<typeof memberValueState>): A.MemberValue {
    if (s.number) return s.number;
    if (s.text) return this.string(s.text);
    if (s.star) return { kind: 'Wildcard', span: this.tokenSpan(s.star) };
    return s.name ? this.plainReference(s.name) : this.missingReference(this.span(s));
  }

  private expressionNode(s: ReturnType<typeof expressionState>): A.Expression {
    const span = this.span(s);
    const left = s.operands[0];
    const right = s.operands[1];
    const operator = s.operator?.image;
    if (!left) return this.missingReference(span);
    if (!right || operator === undefined || !comparisonOperators.has(operator)) return left;
    return {
      kind: 'Binary',
      operator: operator as A.ComparisonOperator,
      left,
      right,
      span: this.cover(left.span, right.span),
    };
  }

  private additiveNode(s: ReturnType<typeof additiveState>): A.Expression {
    const span = this.span(s);
    const { operands, operators } = s;
    let result = operands[0] ?? this.missingReference(span);
    // Sums nest to the left; bound them like brackets so later tree walks cannot overflow the stack.
    if (operators.length > MAX_NESTING) {
      this.problem(`an expression with more than ${MAX_NESTING} terms; the rest are ignored`, span);
      operators.length = MAX_NESTING;
    }
    operators.forEach((operator, index) => {
      const right = operands[index + 1];
      const symbol = operator.image;
      if (!right || (symbol !== '+' && symbol !== '-')) return;
      result = { kind: 'Binary', operator: symbol, left: result, right, span: this.cover(result.span, right.span) };
    });
    return result;
  }

  private unaryNode(s: ReturnType<typeof unaryState>): A.Expression {
    let result = s.atom ?? this.missingReference(this.span(s));
    for (let i = s.minuses.length - 1; i >= 0; i--) {
      const operand = result;
      result = { kind: 'Unary', operator: '-', operand, span: this.cover(this.tokenSpan(s.minuses[i]!), operand.span) };
    }
    return result;
  }

  private atomNode(s: ReturnType<typeof atomState>): A.Expression {
    if (s.number) return this.numberLiteral(s.number, false, this.tokenSpan(s.number));
    return s.inner ?? this.missingReference(this.span(s));
  }

  private functionCallNode(s: ReturnType<typeof functionCallState>): A.FunctionCall {
    const span = this.span(s);
    const callee = s.callee ? this.identifier(s.callee) : this.missingIdentifier(span.start);
    const { args, by } = s;
    return by ? { kind: 'FunctionCall', callee, args, by, span } : { kind: 'FunctionCall', callee, args, span };
  }

  private groupsClauseNode(s: ReturnType<typeof groupsClauseState>): A.ListValue {
    return s.list ?? { kind: 'List', items: [], span: this.span(s) };
  }

  private groupsFollow(at: number): boolean {
    return (
      this.LA(at).image === 'by' && this.LA(at).tokenType === T.Identifier && this.LA(at + 1).tokenType === T.LBracket
    );
  }
}

function documentState() {
  return { start: NaN, end: NaN, pending: undefined as string | undefined, study: undefined as A.Study | undefined };
}

function studyState() {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    keyword: undefined as IToken | undefined,
    name: undefined as IToken | undefined,
    indices: undefined as A.FamilyIndices | undefined,
    items: [] as (A.StudyItem | undefined)[],
  };
}

function studyItemNode(s: ReturnType<typeof studyItemState>): A.StudyItem | undefined {
  return s.item;
}

function studyItemState() {
  return { start: NaN, end: NaN, pending: undefined as string | undefined, item: undefined as A.StudyItem | undefined };
}

function dataDeclarationState() {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    keyword: undefined as IToken | undefined,
    name: undefined as IToken | undefined,
    indices: undefined as A.FamilyIndices | undefined,
    value: undefined as A.Reference | A.CallValue | undefined,
  };
}

function distributionDeclarationState() {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    keyword: undefined as IToken | undefined,
    name: undefined as IToken | undefined,
    indices: undefined as A.FamilyIndices | undefined,
    value: undefined as A.DistributionDeclaration['value'] | undefined,
  };
}

function shiftDeclarationState() {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    keyword: undefined as IToken | undefined,
    name: undefined as IToken | undefined,
    indices: undefined as A.FamilyIndices | undefined,
    shiftKind: undefined as IToken | undefined,
    from: undefined as A.Reference | undefined,
    to: undefined as A.Reference | undefined,
  };
}

function modelDeclarationState() {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    keyword: undefined as IToken | undefined,
    name: undefined as IToken | undefined,
    indices: undefined as A.FamilyIndices | undefined,
    value: undefined as A.Reference | A.CallValue | undefined,
  };
}

function blockDeclarationState() {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    keyword: undefined as IToken | undefined,
    name: undefined as IToken | undefined,
    indices: undefined as A.FamilyIndices | undefined,
    body: undefined as A.Block | undefined,
  };
}

function splitDeclarationState() {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    keyword: undefined as IToken | undefined,
    name: undefined as IToken | undefined,
    indices: undefined as A.FamilyIndices | undefined,
    value: undefined as A.Reference | A.CallValue | undefined,
  };
}

function expectDeclarationState() {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    indices: undefined as A.FamilyIndices | undefined,
    expression: undefined as A.Expression | undefined,
  };
}

function blockState() {
  return { start: NaN, end: NaN, pending: undefined as string | undefined, attributes: [] as A.Attribute[] };
}

function valueState() {
  return { start: NaN, end: NaN, pending: undefined as string | undefined, inner: undefined as A.Value | undefined };
}

function literalState() {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    text: undefined as IToken | undefined,
    inner: undefined as A.Value | undefined,
  };
}

function numericState() {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    numbers: [] as (A.NumberLiteral | A.PercentLiteral)[],
    range: undefined as IToken | undefined,
    step: undefined as IToken | undefined,
  };
}

function signedNumberState() {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    minus: undefined as IToken | undefined,
    digits: undefined as IToken | undefined,
  };
}

function listState() {
  return { start: NaN, end: NaN, pending: undefined as string | undefined, items: [] as A.Value[] };
}

function chainState(bareArguments: boolean | undefined) {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    stageArguments: bareArguments ? bareStages : plainStages,
    stages: [] as (A.Reference | A.CallValue)[],
  };
}

function stageState(bareArguments: boolean | undefined) {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    bareArguments: bareArguments === true,
    callee: undefined as A.Reference | undefined,
    args: undefined as A.Value[] | undefined,
    bare: [] as A.Value[],
    block: undefined as A.Block | undefined,
  };
}

function argumentListState() {
  return { start: NaN, end: NaN, pending: undefined as string | undefined, values: [] as A.Value[] };
}

function referenceState() {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    head: undefined as IToken | undefined,
    /** `.name` after the head, as dot and name tokens in turn (a name recovery lost is missing). */
    rest: undefined as IToken[] | undefined,
    /** The member index being read, and where in the path the name it follows is. */
    member: undefined as A.MemberIndex | undefined,
    owner: 0,
    members: undefined as [number, A.MemberIndex][] | undefined,
  };
}

function familyIndicesState() {
  return { start: NaN, end: NaN, pending: undefined as string | undefined, items: [] as A.FamilyIndex[] };
}

function familyIndexState() {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    name: undefined as IToken | undefined,
    values: undefined as A.ListValue | undefined,
  };
}

function memberIndexState() {
  return { start: NaN, end: NaN, pending: undefined as string | undefined, values: [] as A.MemberValue[] };
}

function memberValueState() {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    number: undefined as A.NumberLiteral | A.PercentLiteral | undefined,
    text: undefined as IToken | undefined,
    name: undefined as IToken | undefined,
    star: undefined as IToken | undefined,
  };
}

function expressionState() {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    operands: [] as A.Expression[],
    operator: undefined as IToken | undefined,
  };
}

function additiveState() {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    operands: [] as A.Expression[],
    operators: [] as IToken[],
  };
}

function unaryState() {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    minuses: [] as IToken[],
    atom: undefined as A.Expression | undefined,
  };
}

function atomState() {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    number: undefined as IToken | undefined,
    inner: undefined as A.Expression | undefined,
  };
}

function functionCallState() {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    callee: undefined as IToken | undefined,
    args: [] as A.Expression[],
    by: undefined as A.ListValue | undefined,
  };
}

function groupsClauseState() {
  return { start: NaN, end: NaN, pending: undefined as string | undefined, list: undefined as A.ListValue | undefined };
}

/** Files the member index just read under the name it follows. */
function keepMember(s: {
  member: A.MemberIndex | undefined;
  owner: number;
  members: [number, A.MemberIndex][] | undefined;
}) {
  if (s.member === undefined) return;
  (s.members ??= []).push([s.owner, s.member]);
  s.member = undefined;
}

function attributeState() {
  return {
    start: NaN,
    end: NaN,
    pending: undefined as string | undefined,
    name: undefined as IToken | undefined,
    values: [] as A.Value[],
    block: undefined as A.Block | undefined,
  };
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

export interface ParsedTokens {
  study: A.Study | null;
  errors: IRecognitionException[];
  /** Text skipped at the end of an item (see skipRestOfLine). */
  skipped: OffsetProblem[];
  /** Problems found while building nodes (a number too large, an unknown escape, ...). */
  problems: OffsetProblem[];
}

/**
 * Without recovery a parser does less per rule (no repetition-recovery bookkeeping), and a file that parses takes
 * exactly the same path either way; so every file is first parsed without it, and one with a syntax error again with
 * it, for the errors and the recovered tree an editor needs. The recovering parser is built on first need.
 */
const direct = new StudyParser({ recover: false });
let recovering: StudyParser | undefined;

export function parseTokens(tokens: IToken[], lines: LineIndex): ParsedTokens {
  let parser = direct;
  let study = parser.parseTokens(tokens, lines);
  if (parser.errors.length > 0) {
    parser = recovering ??= new StudyParser();
    study = parser.parseTokens(tokens, lines);
  }
  return { study, errors: parser.errors, skipped: parser.skipped, problems: parser.problems };
}
