// A small layout algebra in the style of Wadler's "prettier printer" (and prettier's own Doc):
// the formatter describes WHAT may break, this module decides WHERE, given a line width.
//
// A group is printed flat (every `line` a space, every `softline` nothing) when it fits in the rest of
// the current line, else broken (every line of that group a newline). A `hardline` always breaks and
// forces every group around it to break too.

export type Doc = string | Doc[] | Group | Indent | Line | IfBreak;

interface Group {
  kind: 'group';
  contents: Doc;
  /** Broken regardless of width (the source asked for it, or a hardline lies inside). */
  broken: boolean;
}

interface Indent {
  kind: 'indent';
  contents: Doc;
}

interface Line {
  kind: 'line';
  /** What the line prints as when its group is flat; a hard line is never flat. */
  flat: ' ' | '' | null;
}

interface IfBreak {
  kind: 'ifBreak';
  broken: Doc;
  flat: Doc;
}

export const line: Line = { kind: 'line', flat: ' ' };
export const softline: Line = { kind: 'line', flat: '' };
export const hardline: Line = { kind: 'line', flat: null };

export function group(contents: Doc, options: { broken?: boolean } = {}): Group {
  return { kind: 'group', contents, broken: options.broken ?? false };
}

export function indent(contents: Doc): Indent {
  return { kind: 'indent', contents };
}

export function ifBreak(broken: Doc, flat: Doc = ''): IfBreak {
  return { kind: 'ifBreak', broken, flat };
}

export function join(separator: Doc, docs: Doc[]): Doc[] {
  return docs.flatMap((doc, index) => (index === 0 ? [doc] : [separator, doc]));
}

const INDENT = '  ';

type Mode = 'flat' | 'break';
interface Command {
  indentation: string;
  mode: Mode;
  doc: Doc;
}

/** Lays `doc` out within `width` columns. Lines never end in spaces. */
export function render(doc: Doc, width: number): string {
  propagateBreaks(doc);
  const out: string[] = [];
  let column = 0;
  const stack: Command[] = [{ indentation: '', mode: 'break', doc }];
  while (stack.length > 0) {
    const { indentation, mode, doc: current } = stack.pop()!;
    if (typeof current === 'string') {
      out.push(current);
      const lastNewline = current.lastIndexOf('\n');
      column = lastNewline === -1 ? column + current.length : current.length - lastNewline - 1;
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ indentation, mode, doc: current[i] });
    } else if (current.kind === 'indent') {
      stack.push({ indentation: indentation + INDENT, mode, doc: current.contents });
    } else if (current.kind === 'ifBreak') {
      stack.push({ indentation, mode, doc: mode === 'break' ? current.broken : current.flat });
    } else if (current.kind === 'group') {
      const flat: Command = { indentation, mode: 'flat', doc: current.contents };
      const fitsFlat = mode === 'flat' || (!current.broken && fits(flat, stack, width - column));
      stack.push(fitsFlat ? flat : { indentation, mode: 'break', doc: current.contents });
    } else if (mode === 'flat' && current.flat !== null) {
      out.push(current.flat);
      column += current.flat.length;
    } else {
      trimTrailingSpaces(out);
      out.push('\n' + indentation);
      column = indentation.length;
    }
  }
  trimTrailingSpaces(out);
  return out.join('');
}

/**
 * Whether `next` printed flat, followed by the rest of the line from `rest`, fits in `room` columns.
 * The rest of the line ends at the first line break the enclosing (already decided) groups will take.
 */
function fits(next: Command, rest: Command[], room: number): boolean {
  const pending: Command[] = [next];
  let restIndex = rest.length;
  while (room >= 0) {
    if (pending.length === 0) {
      if (restIndex === 0) return true;
      pending.push(rest[--restIndex]);
      continue;
    }
    const { indentation, mode, doc } = pending.pop()!;
    if (typeof doc === 'string') {
      const newline = doc.indexOf('\n');
      room -= newline === -1 ? doc.length : newline;
      if (newline !== -1) return room >= 0;
    } else if (Array.isArray(doc)) {
      for (let i = doc.length - 1; i >= 0; i--) pending.push({ indentation, mode, doc: doc[i] });
    } else if (doc.kind === 'indent') {
      pending.push({ indentation, mode, doc: doc.contents });
    } else if (doc.kind === 'ifBreak') {
      pending.push({ indentation, mode, doc: mode === 'break' ? doc.broken : doc.flat });
    } else if (doc.kind === 'group') {
      pending.push({ indentation, mode: doc.broken ? 'break' : mode, doc: doc.contents });
    } else if (mode === 'break' || doc.flat === null) {
      return true;
    } else {
      room -= doc.flat.length;
    }
  }
  return false;
}

/** Marks every group that contains a hardline (at any depth) as broken; returns whether `doc` contains one. */
function propagateBreaks(doc: Doc): boolean {
  if (typeof doc === 'string') return false;
  if (Array.isArray(doc)) return doc.map(propagateBreaks).some(Boolean);
  switch (doc.kind) {
    case 'line':
      return doc.flat === null;
    case 'indent':
      return propagateBreaks(doc.contents);
    case 'ifBreak':
      // Only the flat branch can run inside a flat group, so only it constrains the group.
      propagateBreaks(doc.broken);
      return propagateBreaks(doc.flat);
    case 'group': {
      const inner = propagateBreaks(doc.contents);
      doc.broken ||= inner;
      return doc.broken;
    }
  }
}

function trimTrailingSpaces(out: string[]): void {
  while (out.length > 0) {
    const trimmed = out.pop()!.replace(/ +$/, '');
    if (trimmed.length > 0) {
      out.push(trimmed);
      return;
    }
  }
}
