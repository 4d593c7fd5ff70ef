// The .study abstract syntax tree. Every node carries a span back into its source file, so that
// every later error (checker, planner, runtime) can point at the line that caused it.
//
// The tree is deliberately generic below the declaration level: a block holds attributes, an attribute
// holds a sequence of values. What an attribute means (`sweep lr [..] select accuracy on x.val`) is the
// checker's business, not the parser's; that keeps the grammar small and the formatter simple.

/**
 * A region of a source file. Offsets are 0-based, [start, end); lines and columns are 1-based, and
 * endLine/endColumn, like `end`, point just past the last character (a zero-width span has column == endColumn).
 */
export interface Span {
  file: string;
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Only on the nodes of a family member the checker expanded: the member's name (`ft[0.7]`), for its diagnostics. */
  member?: string;
}

interface NodeBase {
  span: Span;
}

/** `name` is '' only for a placeholder the parser invented while recovering from a syntax error. */
export interface Identifier extends NodeBase {
  kind: 'Identifier';
  name: string;
  /** In a reference only: the member index written after the name (`reference[p]`, `ft[0.9]`, `ft[*]`). */
  index?: MemberIndex;
}

// ---------------------------------------------------------------- families

/** `p in [0.5, 0.7]` (values given here) or `p` (values taken from the families referenced with `p`). */
export interface FamilyIndex extends NodeBase {
  kind: 'FamilyIndex';
  name: Identifier;
  values?: ListValue;
}

/** `[p in [0.5, 0.9], s in [0.1, 0.25]]` after a declaration's name (or after `expect`). */
export interface FamilyIndices extends NodeBase {
  kind: 'FamilyIndices';
  items: FamilyIndex[];
}

/** `*` in a member index: every value of that index. */
export interface Wildcard extends NodeBase {
  kind: 'Wildcard';
}

/** One position of a member index: a literal, a name (an index, or a name value), or `*`. */
export type MemberValue = NumberLiteral | PercentLiteral | StringLiteral | Reference | Wildcard;

/** `[0.5]`, `[p]`, `[p, 0.25]`, `[*]` after a name in a reference. */
export interface MemberIndex extends NodeBase {
  kind: 'MemberIndex';
  values: MemberValue[];
}

// ---------------------------------------------------------------- values

/** `12`, `0.25`, `3e-4`. `raw` keeps the spelling so the formatter can reproduce it. */
export interface NumberLiteral extends NodeBase {
  kind: 'Number';
  value: number;
  raw: string;
}

/** `95%`. `value` is the number before the sign (95), not the fraction. */
export interface PercentLiteral extends NodeBase {
  kind: 'Percent';
  value: number;
  raw: string;
}

/** `"text"`. `value` is unescaped; `raw` is the source spelling with quotes. */
export interface StringLiteral extends NodeBase {
  kind: 'String';
  value: string;
  raw: string;
}

/** A name or a dotted path: `reference`, `reference.val`, `robustness.fine_tuned.flip`. */
export interface Reference extends NodeBase {
  kind: 'Reference';
  path: Identifier[];
}

/** `[a, b, c]`; `[]` is an empty list. */
export interface ListValue extends NodeBase {
  kind: 'List';
  items: Value[];
}

/** `4..12`, `10..200 step 10`. */
export interface RangeValue extends NodeBase {
  kind: 'Range';
  from: NumberLiteral;
  to: NumberLiteral;
  step?: NumberLiteral;
}

/**
 * A name applied to something: `tint { strength 0.25 }`, `idx "a" "b"`, `csv "p" { label "y" }`,
 * `support(half_flipped) { folds 5 }`, `fit { epochs 3 }` (a recipe with overrides).
 * `parenthesized` records whether the arguments were written in parentheses.
 */
export interface CallValue extends NodeBase {
  kind: 'Call';
  callee: Reference;
  args: Value[];
  parenthesized: boolean;
  block?: Block;
}

/** `digits | tint { .. } | vflip`: a source (or distribution) passed through transforms, left to right. */
export interface ChainValue extends NodeBase {
  kind: 'Chain';
  stages: (Reference | CallValue)[];
}

export type Value =
  NumberLiteral | PercentLiteral | StringLiteral | Reference | ListValue | RangeValue | CallValue | ChainValue;

// ---------------------------------------------------------------- blocks and attributes

/** `name value value ...`, e.g. `epochs 12`, `sweep lr [1e-3, 3e-4] select accuracy on reference.val`. */
export interface Attribute extends NodeBase {
  kind: 'Attribute';
  name: Identifier;
  values: Value[];
}

/** `{ a 1, b 2 }` or the same over several lines. */
export interface Block extends NodeBase {
  kind: 'Block';
  attributes: Attribute[];
}

// ---------------------------------------------------------------- expectations

export type ComparisonOperator = '>' | '>=' | '<' | '<=' | '==';
export type ArithmeticOperator = '+' | '-';

export interface BinaryExpression extends NodeBase {
  kind: 'Binary';
  operator: ComparisonOperator | ArithmeticOperator;
  left: Expression;
  right: Expression;
}

export interface UnaryExpression extends NodeBase {
  kind: 'Unary';
  operator: '-';
  operand: Expression;
}

/** `abs(x)`, `max(a, b)`, `accuracy(ft, reference.test)`, `worst_group_accuracy(ft, shifted.test, by [label, tint])`. */
export interface FunctionCall extends NodeBase {
  kind: 'FunctionCall';
  callee: Identifier;
  args: Expression[];
  /** `by [label, tint]` after the arguments: the groups a worst-group metric is taken over. */
  by?: ListValue;
}

/** Parentheses are not kept: the printer adds them back where precedence needs them. */
export type Expression = BinaryExpression | UnaryExpression | FunctionCall | NumberLiteral | PercentLiteral | Reference;

// ---------------------------------------------------------------- declarations

/** `data digits = mnist { train 12000, test 2000 }`, `data mine = idx "x.idx" "y.idx"`. */
export interface DataDeclaration extends NodeBase {
  kind: 'Data';
  indices?: FamilyIndices;
  name: Identifier;
  value: Reference | CallValue;
}

/** `distribution reference = digits | tint { strength 0.25, spurious 0.8 }`. */
export interface DistributionDeclaration extends NodeBase {
  kind: 'Distribution';
  indices?: FamilyIndices;
  name: Identifier;
  value: Reference | CallValue | ChainValue;
}

/** `shift flip: out_of_support = reference -> flipped`. `shiftKind` is kept as written for diagnostics. */
export interface ShiftDeclaration extends NodeBase {
  kind: 'Shift';
  indices?: FamilyIndices;
  name: Identifier;
  shiftKind: Identifier;
  from: Reference;
  to: Reference;
}

/** `model cnn = convnet { channels [16, 32], dense 64 }`, `model m = load "model.json"`. */
export interface ModelDeclaration extends NodeBase {
  kind: 'Model';
  indices?: FamilyIndices;
  name: Identifier;
  value: Reference | CallValue;
}

/** Declarations whose body is a block: `recipe fit { .. }`, `arm fine_tuned { .. }`, ... */
export interface BlockDeclaration<K extends BlockDeclarationKind = BlockDeclarationKind> extends NodeBase {
  kind: K;
  /** A family's indices (`arm ft[p] { .. }`); absent on a plain declaration. Every declaration kind may carry them. */
  indices?: FamilyIndices;
  name: Identifier;
  body: Block;
}

export type BlockDeclarationKind = 'Recipe' | 'Pretrain' | 'Baseline' | 'Arm' | 'Compare';
export type RecipeDeclaration = BlockDeclaration<'Recipe'>;
export type PretrainDeclaration = BlockDeclaration<'Pretrain'>;
export type BaselineDeclaration = BlockDeclaration<'Baseline'>;
export type ArmDeclaration = BlockDeclaration<'Arm'>;
export type CompareDeclaration = BlockDeclaration<'Compare'>;

/** `split parts = support(half_flipped) { classifier cnn, folds 5, threshold 0.2 }`. */
export interface SplitDeclaration extends NodeBase {
  kind: 'Split';
  indices?: FamilyIndices;
  name: Identifier;
  value: CallValue;
}

/** `expect robustness.fine_tuned.flip > 0.02`. */
export interface ExpectDeclaration extends NodeBase {
  kind: 'Expect';
  indices?: FamilyIndices;
  expression: Expression;
}

export type Declaration =
  | DataDeclaration
  | DistributionDeclaration
  | ShiftDeclaration
  | ModelDeclaration
  | RecipeDeclaration
  | PretrainDeclaration
  | BaselineDeclaration
  | ArmDeclaration
  | CompareDeclaration
  | SplitDeclaration
  | ExpectDeclaration;

/** The keyword each declaration is written with. */
export const declarationKeywords = {
  Data: 'data',
  Distribution: 'distribution',
  Shift: 'shift',
  Model: 'model',
  Recipe: 'recipe',
  Pretrain: 'pretrain',
  Baseline: 'baseline',
  Arm: 'arm',
  Compare: 'compare',
  Split: 'split',
  Expect: 'expect',
} as const satisfies Record<Declaration['kind'], string>;

/** Everything that can stand in a study's body: declarations, and study-level attributes (`title`, `seed`). */
export type StudyItem = Declaration | Attribute;

export interface Study extends NodeBase {
  kind: 'Study';
  name: Identifier;
  items: StudyItem[];
}

/**
 * A line (`//`) or block comment. Comments live beside the tree, not in it; the formatter re-attaches them by offset.
 * `text` is the comment exactly as written, delimiters included (`// why`, `/* a\n b *\/`).
 */
export interface Comment extends NodeBase {
  kind: 'Comment';
  text: string;
  block: boolean;
}

/** One parsed file. `study` is null when the file has no recognisable study at all. */
export interface Document extends NodeBase {
  kind: 'Document';
  file: string;
  source: string;
  study: Study | null;
  comments: Comment[];
}

export type Node =
  | Document
  | Study
  | Declaration
  | Attribute
  | Block
  | Identifier
  | Value
  | Expression
  | FamilyIndices
  | FamilyIndex
  | MemberIndex
  | Wildcard
  | Comment;

/** What the grammar reports; `compiler/diagnostics` turns these into coded diagnostics. */
export interface ParseProblem {
  kind: 'lexer' | 'syntax';
  message: string;
  span: Span;
}

export interface ParseResult {
  document: Document;
  problems: ParseProblem[];
}
