// Comments live beside the tree (Document.comments); the printer needs them attached to nodes.
// Every comment lands in exactly one place, decided by where it sits between the children of the
// innermost sequence around it (the study body, a `{ }` block, a `[ ]` list):
//   - on the line where the previous child ends          → trailing that child   (`epochs 3 // why`)
//   - on the line of the opening bracket, before any child → trailing the bracket  (`{ // about`)
//   - otherwise, before a child                          → leading that child    (own line above it)
//   - otherwise (after the last child)                   → dangling at the end of the sequence
// A comment inside a child but outside any nested sequence (`data x /* c */ = mnist`,
// `expect a > /* c */ b`) moves above that child: kept, next to what it was in.

import type { Block, Comment, Document, ListValue, Node, Study, Value } from '../../grammar/ast.ts';

/** A node whose children are printed one after another: the study body, a block or a list. */
export type Sequence = Study | Block | ListValue;

export class Attachments {
  readonly leading = new Map<Node, Comment[]>();
  readonly trailing = new Map<Node, Comment[]>();
  readonly afterOpen = new Map<Node, Comment[]>();
  readonly dangling = new Map<Node, Comment[]>();

  static add(map: Map<Node, Comment[]>, node: Node, comment: Comment): void {
    const list = map.get(node);
    if (list) list.push(comment);
    else map.set(node, [comment]);
  }
}

export function attachComments(document: Document, lines: LineIndex): Attachments {
  const attachments = new Attachments();
  const study = document.study;
  const comments = [...document.comments].sort((a, b) => a.span.start - b.span.start);
  if (!study) {
    for (const comment of comments) Attachments.add(attachments.dangling, document, comment);
    return attachments;
  }
  const open = studyOpenBrace(document, study);
  for (const comment of comments) {
    if (comment.span.start < open) Attachments.add(attachments.leading, study, comment);
    else if (comment.span.start >= study.span.end) {
      const sameLine = lines.lineOf(comment.span.start) === lines.lineOf(study.span.end);
      Attachments.add(sameLine ? attachments.trailing : attachments.dangling, sameLine ? study : document, comment);
    } else distribute(study, open, comment, attachments, lines);
  }
  return attachments;
}

/** The offset of the study's `{`: the first character after its name that is neither space nor comment. */
export function studyOpenBrace(document: Document, study: Study): number {
  let offset = study.name.span.end;
  const source = document.source;
  for (;;) {
    while (offset < source.length && /\s/.test(source[offset])) offset++;
    const comment = document.comments.find((c) => c.span.start === offset);
    if (!comment) return offset;
    offset = comment.span.end;
  }
}

function childrenOf(sequence: Sequence): Node[] {
  switch (sequence.kind) {
    case 'Study':
      return sequence.items;
    case 'Block':
      return sequence.attributes;
    case 'List':
      return sequence.items;
  }
}

function distribute(
  sequence: Sequence,
  open: number,
  comment: Comment,
  attachments: Attachments,
  lines: LineIndex,
): void {
  const start = comment.span.start;
  const children = childrenOf(sequence);
  // Children are in source order and do not overlap: find the last one starting at or before the comment.
  const at = lastIndexAtOrBefore(children, start);
  const inside = at >= 0 && start < children[at].span.end ? children[at] : undefined;
  if (inside) {
    const nested = nestedSequences(inside).find((s) => s.span.start < start && start < s.span.end);
    if (nested) distribute(nested, nested.span.start, comment, attachments, lines);
    else Attachments.add(attachments.leading, inside, comment);
    return;
  }
  const previous = at >= 0 ? children[at] : undefined;
  const next = children[at + 1];
  const line = lines.lineOf(start);
  if (previous && line === lines.lineOf(previous.span.end)) Attachments.add(attachments.trailing, previous, comment);
  else if (!previous && line === lines.lineOf(open)) Attachments.add(attachments.afterOpen, sequence, comment);
  else if (next) Attachments.add(attachments.leading, next, comment);
  else Attachments.add(attachments.dangling, sequence, comment);
}

/** Binary search: the index of the last node starting at or before `offset`, or -1. */
function lastIndexAtOrBefore(nodes: Node[], offset: number): number {
  let low = -1;
  let high = nodes.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (nodes[middle].span.start <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The blocks and lists directly inside `node` (not those nested in them). */
function nestedSequences(node: Node): (Block | ListValue)[] {
  switch (node.kind) {
    case 'Block':
    case 'List':
      return [node];
    case 'Attribute':
      return [...node.values.flatMap(nestedSequences), ...(node.block ? [node.block] : [])];
    case 'Data':
    case 'Distribution':
    case 'Model':
    case 'Split':
      return nestedSequences(node.value);
    case 'Recipe':
    case 'Pretrain':
    case 'Baseline':
    case 'Arm':
    case 'Compare':
      return [node.body];
    case 'Call':
      return [...node.args.flatMap(nestedSequences), ...(node.block ? [node.block] : [])];
    case 'Chain':
      return node.stages.flatMap((stage: Value) => nestedSequences(stage));
    default:
      return [];
  }
}

/** Line numbers of offsets, computed once per source. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly source: string) {
    // A lone \r ends a line too, as in the lexer.
    for (let i = 0; i < source.length; i++) {
      if (source[i] === '\n' || (source[i] === '\r' && source[i + 1] !== '\n')) this.starts.push(i + 1);
    }
  }

  /** 0-based line of `offset`. */
  lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** Whether the source has an empty line between the previous token and `offset` (commas count as space). */
  blankLineBefore(offset: number): boolean {
    let newlines = 0;
    for (let i = offset - 1; i >= 0 && /[\s,]/.test(this.source[i]); i--) {
      if (this.source[i] === '\n' || (this.source[i] === '\r' && this.source[i + 1] !== '\n')) newlines++;
    }
    return newlines >= 2;
  }
}
