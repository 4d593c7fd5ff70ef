// CST → AST. Written as a Chevrotain CST visitor: one method per grammar rule. The CST may be partial
// (error recovery drops or invents pieces), so every child is optional here: a missing name becomes an
// Identifier with name '' and a missing value a Reference to '', placed zero-width where it should have been.
import type { CstElement, CstNode, CstNodeLocation, IToken } from 'chevrotain';
import type * as A from './ast.ts';
import { parser } from './parser.ts';
import { Percent } from './lexer.ts';
import type { LineIndex, OffsetProblem } from './span.ts';
import { MAX_NESTING } from './layout.ts';

type Children = Record<string, CstElement[] | undefined>;

const BaseVisitor = parser.getBaseCstVisitorConstructor();

const blockKinds: Record<string, A.BlockDeclarationKind> = {
  Recipe: 'Recipe',
  Pretrain: 'Pretrain',
  Baseline: 'Baseline',
  Arm: 'Arm',
  Compare: 'Compare',
};
const comparisonOperators = new Set<string>(['>', '>=', '<', '<=', '==']);

function isToken(element: CstElement): element is IToken {
  return 'image' in element;
}

export class AstBuilder extends BaseVisitor {
  readonly problems: OffsetProblem[] = [];
  /** End of the last real text seen, where nodes that recovery left empty are placed. */
  private cursor = 0;
  /** Where the CST node being visited lies; set by visit() before its rule method runs. */
  private location: CstNodeLocation | undefined;

  constructor(private readonly lines: LineIndex) {
    super();
    this.validateVisitor();
  }

  // ---------------------------------------------------------------- helpers

  private token(ctx: Children, key: string, index = 0): IToken | undefined {
    const element = ctx[key]?.[index];
    return element && isToken(element) ? element : undefined;
  }

  private node(ctx: Children, key: string, index = 0): CstNode | undefined {
    const element = ctx[key]?.[index];
    return element && !isToken(element) ? element : undefined;
  }

  private nodes(ctx: Children, key: string): CstNode[] {
    return (ctx[key] ?? []).filter((element): element is CstNode => !isToken(element));
  }

  override visit(node: CstNode | CstNode[], param?: unknown): unknown {
    this.location = Array.isArray(node) ? node[0]?.location : node.location;
    return super.visit(node, param);
  }

  /**
   * The span of the node whose rule method is running (call it first, before visiting children);
   * zero-width at the cursor when recovery left the node empty.
   */
  private span(): A.Span {
    const start = this.location?.startOffset ?? NaN;
    const end = (this.location?.endOffset ?? NaN) + 1;
    if (!Number.isFinite(start)) return this.lines.span(this.cursor, this.cursor);
    const to = Number.isFinite(end) ? Math.max(start, end) : start;
    this.cursor = to;
    return this.lines.span(start, to);
  }

  private tokenSpan(token: IToken): A.Span {
    const start = Number.isFinite(token.startOffset) ? token.startOffset : this.cursor;
    const end = token.endOffset !== undefined && Number.isFinite(token.endOffset) ? token.endOffset + 1 : start;
    return this.lines.span(start, Math.max(start, end));
  }

  private cover(from: A.Span, to: A.Span): A.Span {
    return this.lines.span(from.start, Math.max(from.start, to.end));
  }

  private identifier(token: IToken | undefined, fallback: A.Span): A.Identifier {
    if (!token) return { kind: 'Identifier', name: '', span: this.lines.span(fallback.end, fallback.end) };
    return { kind: 'Identifier', name: token.image, span: this.tokenSpan(token) };
  }

  /** Stands in for a value recovery lost; its name '' tells later stages to stay quiet about it. */
  private missingReference(at: A.Span): A.Reference {
    const span = this.lines.span(at.end, at.end);
    return { kind: 'Reference', path: [{ kind: 'Identifier', name: '', span }], span };
  }

  private problem(message: string, span: A.Span): void {
    this.problems.push({ message, start: span.start, end: span.end });
  }

  // ---------------------------------------------------------------- structure

  document(ctx: Children): A.Study | null {
    const study = this.node(ctx, 'study');
    return study ? (this.visit(study) as A.Study) : null;
  }

  separator(): undefined {
    return undefined;
  }

  study(ctx: Children): A.Study {
    const { span, name } = this.declared(ctx, 'Study');
    const items = this.nodes(ctx, 'studyItem')
      .map((item) => this.visit(item) as A.StudyItem | undefined)
      .filter((item): item is A.StudyItem => item !== undefined);
    return { kind: 'Study', name, items, span };
  }

  studyItem(ctx: Children): A.StudyItem | undefined {
    const inner = Object.values(ctx)[0]?.[0];
    return inner && !isToken(inner) ? (this.visit(inner) as A.StudyItem) : undefined;
  }

  private declared(ctx: Children, keyword: string): { span: A.Span; name: A.Identifier; indices?: A.FamilyIndices } {
    const span = this.span();
    const keywordToken = this.token(ctx, keyword);
    const anchor = keywordToken ? this.tokenSpan(keywordToken) : this.lines.span(span.start, span.start);
    const name = this.identifier(this.token(ctx, 'Identifier'), anchor);
    const indices = this.familyIndicesOf(ctx);
    return indices ? { span, name, indices } : { span, name };
  }

  private familyIndicesOf(ctx: Children): A.FamilyIndices | undefined {
    const node = this.node(ctx, 'familyIndices');
    return node ? (this.visit(node) as A.FamilyIndices) : undefined;
  }

  private stageOrMissing(ctx: Children, after: A.Span): A.Reference | A.CallValue {
    const stage = this.node(ctx, 'stage');
    return stage ? (this.visit(stage) as A.Reference | A.CallValue) : this.missingReference(after);
  }

  dataDeclaration(ctx: Children): A.DataDeclaration {
    const { span, name, indices } = this.declared(ctx, 'Data');
    return { kind: 'Data', name, ...(indices && { indices }), value: this.stageOrMissing(ctx, span), span };
  }

  modelDeclaration(ctx: Children): A.ModelDeclaration {
    const { span, name, indices } = this.declared(ctx, 'Model');
    return { kind: 'Model', name, ...(indices && { indices }), value: this.stageOrMissing(ctx, span), span };
  }

  distributionDeclaration(ctx: Children): A.DistributionDeclaration {
    const { span, name, indices } = this.declared(ctx, 'Distribution');
    const chain = this.node(ctx, 'chain');
    const value = chain ? (this.visit(chain) as A.DistributionDeclaration['value']) : this.missingReference(span);
    return { kind: 'Distribution', name, ...(indices && { indices }), value, span };
  }

  splitDeclaration(ctx: Children): A.SplitDeclaration {
    const { span, name, indices } = this.declared(ctx, 'Split');
    const stage = this.stageOrMissing(ctx, span);
    const value: A.CallValue =
      stage.kind === 'Call' ? stage : { kind: 'Call', callee: stage, args: [], parenthesized: false, span: stage.span };
    return { kind: 'Split', name, ...(indices && { indices }), value, span };
  }

  shiftDeclaration(ctx: Children): A.ShiftDeclaration {
    const { span, name, indices } = this.declared(ctx, 'Shift');
    const shiftKind = this.identifier(this.token(ctx, 'Identifier', 1), name.span);
    const reference = (index: number): A.Reference => {
      const node = this.node(ctx, 'reference', index);
      return node ? (this.visit(node) as A.Reference) : this.missingReference(span);
    };
    return { kind: 'Shift', name, ...(indices && { indices }), shiftKind, from: reference(0), to: reference(1), span };
  }

  blockDeclaration(ctx: Children): A.BlockDeclaration {
    const keyword = Object.keys(blockKinds).find((key) => ctx[key]);
    const { span, name, indices } = this.declared(ctx, keyword ?? 'Recipe');
    const block = this.node(ctx, 'block');
    const body: A.Block = block
      ? (this.visit(block) as A.Block)
      : { kind: 'Block', attributes: [], span: this.lines.span(span.end, span.end) };
    return { kind: blockKinds[keyword ?? 'Recipe']!, name, ...(indices && { indices }), body, span };
  }

  expectDeclaration(ctx: Children): A.ExpectDeclaration {
    const span = this.span();
    const indices = this.familyIndicesOf(ctx);
    const expression = this.node(ctx, 'expression');
    return {
      kind: 'Expect',
      ...(indices && { indices }),
      expression: expression ? (this.visit(expression) as A.Expression) : this.missingReference(span),
      span,
    };
  }

  studyAttribute(ctx: Children): A.Attribute {
    return this.attribute(ctx);
  }

  attribute(ctx: Children): A.Attribute {
    const span = this.span();
    const name = this.identifier(
      this.token(ctx, 'AttributeName') ?? this.token(ctx, 'Identifier'),
      this.lines.span(span.start, span.start),
    );
    const values = this.nodes(ctx, 'value').map((value) => this.visit(value) as A.Value);
    return { kind: 'Attribute', name, values, span };
  }

  block(ctx: Children): A.Block {
    const span = this.span();
    const attributes = this.nodes(ctx, 'attribute').map((attribute) => this.visit(attribute) as A.Attribute);
    return { kind: 'Block', attributes, span };
  }

  // ---------------------------------------------------------------- values

  value(ctx: Children): A.Value {
    const span = this.span();
    const inner = this.node(ctx, 'literal') ?? this.node(ctx, 'chain');
    return inner ? (this.visit(inner) as A.Value) : this.missingReference(span);
  }

  literal(ctx: Children): A.Value {
    const span = this.span();
    const text = this.token(ctx, 'String');
    if (text) return this.string(text);
    const inner = this.node(ctx, 'numeric') ?? this.node(ctx, 'list');
    return inner ? (this.visit(inner) as A.Value) : this.missingReference(span);
  }

  numeric(ctx: Children): A.NumberLiteral | A.PercentLiteral | A.RangeValue {
    const span = this.span();
    const [first, second, third] = this.nodes(ctx, 'signedNumber').map(
      (node) => this.visit(node) as A.NumberLiteral | A.PercentLiteral,
    );
    const from = first ?? { kind: 'Number', value: 0, raw: '', span: this.lines.span(span.start, span.start) };
    if (!this.token(ctx, 'DotDot')) return from;
    const plain = (end: A.NumberLiteral | A.PercentLiteral | undefined): A.NumberLiteral => {
      if (!end) return { kind: 'Number', value: 0, raw: '', span: this.lines.span(span.end, span.end) };
      if (end.kind === 'Percent') this.problem('a range is written with plain numbers, not percentages', end.span);
      return { ...end, kind: 'Number' };
    };
    const range: A.RangeValue = { kind: 'Range', from: plain(from), to: plain(second), span };
    if (this.token(ctx, 'Identifier')) range.step = plain(third);
    return range;
  }

  signedNumber(ctx: Children): A.NumberLiteral | A.PercentLiteral {
    const span = this.span();
    const digits = this.token(ctx, 'Percent') ?? this.token(ctx, 'Number');
    return this.numberLiteral(digits, this.token(ctx, 'Minus') !== undefined, span);
  }

  /** A Number or Percent from its token (missing when recovery lost it); `negative` folds a leading `-` in. */
  private numberLiteral(
    token: IToken | undefined,
    negative: boolean,
    span: A.Span,
  ): A.NumberLiteral | A.PercentLiteral {
    const digits = token?.image ?? '';
    const percent = token?.tokenType === Percent;
    const magnitude = Number(percent ? digits.slice(0, -1) : digits);
    const value = negative ? -magnitude : magnitude;
    if (!Number.isFinite(value)) this.problem(`the number ${digits} is too large`, span);
    const raw = `${negative ? '-' : ''}${digits}`;
    return percent ? { kind: 'Percent', value, raw, span } : { kind: 'Number', value, raw, span };
  }

  private string(token: IToken): A.StringLiteral {
    const span = this.tokenSpan(token);
    const raw = token.image;
    const body = raw.length >= 2 && raw.endsWith('"') ? raw.slice(1, -1) : raw.slice(1);
    return { kind: 'String', value: this.unescape(body, span.start + 1), raw, span };
  }

  /** Resolves \" \\ \n \t \r and \u{HEX}; an unknown escape is reported and kept as written. */
  private unescape(body: string, offset: number): string {
    const simple: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r' };
    return body.replace(
      /\\(u\{([0-9a-fA-F]{1,6})\}|.?)/g,
      (whole, escape: string, hex: string | undefined, at: number) => {
        if (hex !== undefined) {
          const code = parseInt(hex, 16);
          if (code <= 0x10ffff) return String.fromCodePoint(code);
        } else if (escape in simple) {
          return simple[escape]!;
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

  list(ctx: Children): A.ListValue {
    const span = this.span();
    return { kind: 'List', items: this.nodes(ctx, 'value').map((value) => this.visit(value) as A.Value), span };
  }

  chain(ctx: Children): A.Reference | A.CallValue | A.ChainValue {
    const span = this.span();
    const stages = this.nodes(ctx, 'stage').map((stage) => this.visit(stage) as A.Reference | A.CallValue);
    if (stages.length === 0) return this.missingReference(span);
    if (stages.length === 1) return stages[0]!;
    return { kind: 'Chain', stages, span };
  }

  stage(ctx: Children): A.Reference | A.CallValue {
    const span = this.span();
    const reference = this.node(ctx, 'reference');
    const callee = reference
      ? (this.visit(reference) as A.Reference)
      : this.missingReference(this.lines.span(span.start, span.start));
    const argumentList = this.node(ctx, 'argumentList');
    const block = this.node(ctx, 'block');
    const bare = this.nodes(ctx, 'literal');
    if (!argumentList && !block && bare.length === 0) return callee;
    const args = [
      ...(argumentList ? (this.visit(argumentList) as A.Value[]) : []),
      ...bare.map((literal) => this.visit(literal) as A.Value),
    ];
    const call: A.CallValue = { kind: 'Call', callee, args, parenthesized: argumentList !== undefined, span };
    if (block) call.block = this.visit(block) as A.Block;
    return call;
  }

  argumentList(ctx: Children): A.Value[] {
    return this.nodes(ctx, 'value').map((value) => this.visit(value) as A.Value);
  }

  reference(ctx: Children): A.Reference {
    const span = this.span();
    const head = this.identifier(this.token(ctx, 'Identifier'), this.lines.span(span.start, span.start));
    const dots = ctx['Dot'] ?? [];
    const path = [head];
    dots.forEach((dot, index) => {
      const segment = this.token(ctx, 'AnyName', index);
      path.push(this.identifier(segment, isToken(dot) ? this.tokenSpan(dot) : span));
    });
    // A member index belongs to the segment just before it.
    for (const node of this.nodes(ctx, 'memberIndex')) {
      const start = node.location?.startOffset ?? NaN;
      const owner = [...path].reverse().find((segment) => segment.span.end <= start) ?? path[path.length - 1]!;
      owner.index = this.visit(node) as A.MemberIndex;
    }
    return { kind: 'Reference', path, span };
  }

  // ---------------------------------------------------------------- families

  familyIndices(ctx: Children): A.FamilyIndices {
    const span = this.span();
    return {
      kind: 'FamilyIndices',
      items: this.nodes(ctx, 'familyIndex').map((node) => this.visit(node) as A.FamilyIndex),
      span,
    };
  }

  familyIndex(ctx: Children): A.FamilyIndex {
    const span = this.span();
    const name = this.identifier(this.token(ctx, 'Identifier'), this.lines.span(span.start, span.start));
    const list = this.node(ctx, 'list');
    return list
      ? { kind: 'FamilyIndex', name, values: this.visit(list) as A.ListValue, span }
      : { kind: 'FamilyIndex', name, span };
  }

  memberIndex(ctx: Children): A.MemberIndex {
    const span = this.span();
    return {
      kind: 'MemberIndex',
      values: this.nodes(ctx, 'memberValue').map((node) => this.visit(node) as A.MemberValue),
      span,
    };
  }

  memberValue(ctx: Children): A.MemberValue {
    const span = this.span();
    const number = this.node(ctx, 'signedNumber');
    if (number) return this.visit(number) as A.NumberLiteral | A.PercentLiteral;
    const text = this.token(ctx, 'String');
    if (text) return this.string(text);
    const star = this.token(ctx, 'Star');
    if (star) return { kind: 'Wildcard', span: this.tokenSpan(star) };
    const name = this.token(ctx, 'Identifier');
    if (!name) return this.missingReference(span);
    const identifier = this.identifier(name, span);
    return { kind: 'Reference', path: [identifier], span: identifier.span };
  }

  // ---------------------------------------------------------------- expressions

  expression(ctx: Children): A.Expression {
    const span = this.span();
    const [left, right] = this.nodes(ctx, 'additive').map((node) => this.visit(node) as A.Expression);
    const operator = this.token(ctx, 'ComparisonOperator')?.image;
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

  additive(ctx: Children): A.Expression {
    const span = this.span();
    const operands = this.nodes(ctx, 'unary').map((node) => this.visit(node) as A.Expression);
    let result = operands[0] ?? this.missingReference(span);
    const operators = ctx['AdditiveOperator'] ?? [];
    // Sums nest to the left; bound them like brackets so later tree walks cannot overflow the stack.
    if (operators.length > MAX_NESTING) {
      this.problem(`an expression with more than ${MAX_NESTING} terms; the rest are ignored`, span);
      operators.length = MAX_NESTING;
    }
    operators.forEach((operator, index) => {
      const right = operands[index + 1];
      const symbol = isToken(operator) ? operator.image : '';
      if (!right || (symbol !== '+' && symbol !== '-')) return;
      result = { kind: 'Binary', operator: symbol, left: result, right, span: this.cover(result.span, right.span) };
    });
    return result;
  }

  unary(ctx: Children): A.Expression {
    const span = this.span();
    const atom = this.node(ctx, 'atom');
    let result: A.Expression = atom ? (this.visit(atom) as A.Expression) : this.missingReference(span);
    const minuses = (ctx['Minus'] ?? []).filter(isToken);
    for (const minus of minuses.reverse()) {
      result = { kind: 'Unary', operator: '-', operand: result, span: this.cover(this.tokenSpan(minus), result.span) };
    }
    return result;
  }

  atom(ctx: Children): A.Expression {
    const span = this.span();
    const number = this.token(ctx, 'Number') ?? this.token(ctx, 'Percent');
    if (number) return this.numberLiteral(number, false, this.tokenSpan(number));
    const inner = this.node(ctx, 'expression') ?? this.node(ctx, 'functionCall') ?? this.node(ctx, 'reference');
    return inner ? (this.visit(inner) as A.Expression) : this.missingReference(span);
  }

  functionCall(ctx: Children): A.FunctionCall {
    const span = this.span();
    const callee = this.identifier(this.token(ctx, 'Identifier'), this.lines.span(span.start, span.start));
    const args = this.nodes(ctx, 'expression').map((node) => this.visit(node) as A.Expression);
    const groups = this.node(ctx, 'groupsClause');
    const by = groups ? (this.visit(groups) as A.ListValue | undefined) : undefined;
    return by ? { kind: 'FunctionCall', callee, args, by, span } : { kind: 'FunctionCall', callee, args, span };
  }

  groupsClause(ctx: Children): A.ListValue {
    const list = this.node(ctx, 'list');
    return list ? (this.visit(list) as A.ListValue) : { kind: 'List', items: [], span: this.span() };
  }
}
