// AST → Doc: what the canonical layout of a study is. Where lines break is left to doc.ts.

import type {
  Attribute,
  Block,
  Comment,
  Declaration,
  Document,
  ListValue,
  Node,
  Study,
  StudyItem,
  Value,
} from '../../grammar/ast.ts';
import { declarationKeywords } from '../../grammar/ast.ts';
import type { Attachments, LineIndex, Sequence } from './comments.ts';
import { type Doc, group, hardline, ifBreak, indent, join, line, softline } from './doc.ts';
import { printExpression } from './expression.ts';

/** Prints nothing, but breaks every group around it (a line comment must end its line). */
const breakParent: Doc = group([], { broken: true });

export class Printer {
  constructor(
    private readonly document: Document,
    private readonly comments: Attachments,
    private readonly lines: LineIndex,
  ) {}

  /** Comments above the study, the study, comments below it: one per line, blank lines kept. */
  printDocument(): Doc {
    const { study } = this.document;
    const entries: [Node, Doc][] = [];
    if (study) {
      for (const comment of this.comments.leading.get(study) ?? []) entries.push([comment, this.comment(comment)]);
      entries.push([study, [this.printStudy(study), this.trailingComments(study)]]);
    }
    for (const comment of this.comments.dangling.get(this.document) ?? [])
      entries.push([comment, this.comment(comment)]);
    const lines = entries.map(([node, doc], index) => [index === 0 ? '' : this.blankBefore(node), doc]);
    return [join(hardline, lines), hardline];
  }

  private printStudy(study: Study): Doc {
    const { afterOpen, elements } = this.sequence(
      study,
      study.items,
      (item) => this.printItem(item),
      () => '',
    );
    const body = elements ? [indent([hardline, elements]), hardline] : afterOpen ? hardline : '';
    return ['study ', study.name.name, ' {', afterOpen ?? '', body, '}'];
  }

  private printItem(item: StudyItem): Doc {
    return item.kind === 'Attribute' ? this.printAttribute(item) : this.printDeclaration(item);
  }

  private printDeclaration(declaration: Declaration): Doc {
    const keyword = declarationKeywords[declaration.kind];
    switch (declaration.kind) {
      case 'Data':
      case 'Distribution':
      case 'Model':
      case 'Split':
        return [
          keyword,
          ' ',
          declaration.name.name,
          this.printIndices(declaration),
          ' = ',
          this.printValue(declaration.value),
        ];
      case 'Shift': {
        const { name, shiftKind, from, to } = declaration;
        return [
          keyword,
          ' ',
          name.name,
          this.printIndices(declaration),
          ': ',
          shiftKind.name,
          ' = ',
          this.printValue(from),
          ' -> ',
          this.printValue(to),
        ];
      }
      case 'Expect':
        return [keyword, this.printIndices(declaration), ' ', printExpression(declaration.expression)];
      default:
        return [
          keyword,
          ' ',
          declaration.name.name,
          this.printIndices(declaration),
          ' ',
          this.printBlock(declaration.body),
        ];
    }
  }

  /** A family's indices, touching the name: `[p in [0.5, 0.9], s]`. */
  private printIndices(declaration: Declaration): Doc {
    if (!declaration.indices) return '';
    const items = declaration.indices.items.map((index) => [
      index.name.name,
      index.values ? [' in ', this.printList(index.values)] : '',
    ]);
    return ['[', join(', ', items), ']'];
  }

  private printAttribute(attribute: Attribute): Doc {
    return [
      attribute.name.name,
      ...attribute.values.map((value) => [' ', this.printValue(value)]),
      attribute.block ? [' ', this.printBlock(attribute.block)] : '',
    ];
  }

  private printValue(value: Value): Doc {
    switch (value.kind) {
      case 'Number':
      case 'Percent':
      case 'String':
        return value.raw;
      case 'Reference':
        return printExpression(value);
      case 'Range':
        return [value.from.raw, '..', value.to.raw, value.step ? [' step ', value.step.raw] : ''];
      case 'List':
        return this.printList(value);
      case 'Chain':
        return join(
          ' | ',
          value.stages.map((stage) => this.printValue(stage)),
        );
      case 'Call': {
        const args = value.args.map((arg) => this.printValue(arg));
        return [
          this.printValue(value.callee),
          value.parenthesized ? ['(', join(', ', args), ')'] : args.map((arg) => [' ', arg]),
          value.block ? [' ', this.printBlock(value.block)] : '',
        ];
      }
    }
  }

  /** `{ a 1, b 2 }` when it fits and the source did not open it on its own line; else one attribute per line. */
  private printBlock(block: Block): Doc {
    const { afterOpen, elements } = this.sequence(
      block,
      block.attributes,
      (a) => this.printAttribute(a),
      (last) => (last ? '' : ifBreak('', ',')),
    );
    if (!elements) return ['{', afterOpen ?? '', afterOpen ? hardline : '', '}'];
    const first = block.attributes[0];
    const openedOnItsOwnLine =
      first !== undefined && this.lines.lineOf(block.span.start) !== this.lines.lineOf(first.span.start);
    return group(['{', afterOpen ?? '', indent([line, elements]), line, '}'], { broken: openedOnItsOwnLine });
  }

  /** `[a, b]` when it fits, else one item per line. */
  private printList(list: ListValue): Doc {
    const { afterOpen, elements } = this.sequence(
      list,
      list.items,
      (item) => this.printValue(item),
      (last) => (last ? '' : ','),
    );
    if (!elements) return ['[', afterOpen ?? '', afterOpen ? hardline : '', ']'];
    return group(['[', afterOpen ?? '', indent([softline, elements]), softline, ']']);
  }

  /**
   * The children of a sequence (null when none), each preceded by its leading comments and followed by its separator and
   * trailing comments, separated by `line`s; one blank line kept where the source had any.
   */
  private sequence<T extends Node>(
    sequence: Sequence,
    children: T[],
    print: (child: T) => Doc,
    separator: (last: boolean) => Doc,
  ): { afterOpen: Doc | null; elements: Doc | null } {
    const elements: Doc[] = [];
    const push = (node: Node, doc: Doc) => {
      elements.push(elements.length === 0 ? '' : [this.blankBefore(node), line], doc);
    };
    children.forEach((child, index) => {
      for (const comment of this.comments.leading.get(child) ?? []) push(comment, [this.comment(comment), breakParent]);
      push(child, [print(child), separator(index === children.length - 1), this.trailingComments(child)]);
    });
    for (const comment of this.comments.dangling.get(sequence) ?? [])
      push(comment, [this.comment(comment), breakParent]);
    const afterOpen = this.comments.afterOpen.has(sequence)
      ? this.trailingComments(sequence, this.comments.afterOpen)
      : null;
    return { afterOpen, elements: elements.length > 0 ? elements : null };
  }

  private trailingComments(node: Node, map: Map<Node, Comment[]> = this.comments.trailing): Doc {
    const comments = map.get(node) ?? [];
    return comments.map((comment) => [' ', this.comment(comment), breakParent]);
  }

  /** An extra newline when the source had an empty line before `node` (nothing when its group is flat). */
  private blankBefore(node: Node): Doc {
    return this.lines.blankLineBefore(node.span.start) ? ifBreak(softline) : '';
  }

  /** A comment as written, with `\n` line ends (the output's); a line comment loses trailing spaces. */
  private comment(comment: Comment): string {
    const text = this.document.source.slice(comment.span.start, comment.span.end);
    return comment.block ? text.replace(/\r\n?/g, '\n') : text.trimEnd();
  }
}
