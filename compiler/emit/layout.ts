// A compiled script's final text: its sections (comment lines, then statements as ts-morph structures) printed
// without a ts-morph source file (printStructure: nothing is parsed back), each section's code laid out by
// prettier. Prettier's layout depends on the tokens' kinds and widths, not their spelling, so a section is
// formatted once per shape: identifiers, numbers and strings are masked with same-width stand-ins
// (`const arm_7 = …` and `const arm_8 = …` are one shape), prettier formats the masked code, and the real tokens go
// back in the places it put the stand-ins. The 1,000 sections of a 1,000-arm study are a few dozen shapes. A long
// list (the span table, the study's source lines) is laid out item by item the same way: a broken list puts each
// item on lines of its own, laid out independently of the others.
import { format, util } from 'prettier';
import { printStructure, ts, type StatementStructures } from 'ts-morph';

/** The repository's prettier options (.prettierrc) that the emitted code's layout depends on. */
const PRETTIER_OPTIONS = { parser: 'typescript', singleQuote: true, printWidth: 120 } as const;

/** Statements under `//` comment lines (none for a section without a comment). */
export interface Section {
  comment: string[];
  statements: (string | StatementStructures | ListStatement)[];
}

/** A statement holding one long array or object literal, given as its items (`key: value` for an object). */
export interface ListStatement {
  /** The statement, with LIST_MARK (the last one in its text) where the literal goes. */
  statement: string | StatementStructures;
  list: 'array' | 'object';
  items: string[];
}

export const LIST_MARK = '__list__';

/** The sections as one formatted program, a blank line between sections. */
export async function layOut(sections: readonly Section[]): Promise<string> {
  const formattedShapes: FormattedShapes = new Map();
  const parts: string[] = [];
  for (const { comment, statements } of sections) {
    const formatted: string[] = [];
    let code: string[] = [];
    const flush = async () => {
      if (code.length) formatted.push(await formatCode(code.join('\n'), formattedShapes));
      code = [];
    };
    for (const statement of statements) {
      if (!isList(statement)) code.push(print(statement));
      else {
        await flush();
        formatted.push(await formatList(statement, formattedShapes));
      }
    }
    await flush();
    // Prettier ends what it formats with a line break.
    parts.push(comment.map((line) => `${commentLine(line)}\n`).join('') + formatted.join(''));
  }
  return parts.join('\n');
}

const isList = (statement: Section['statements'][number]): statement is ListStatement =>
  typeof statement === 'object' && 'list' in statement;

const print = (statement: string | StatementStructures): string =>
  typeof statement === 'string' ? statement : printStructure(statement);

/**
 * A list statement as prettier formats it. When the list is surely too long for one line, each item is formatted
 * in the statement between the list's opening and a filler item as wide as a line (which keeps the list broken),
 * and the item's lines are taken from there; the lines before and after come from the statement with the filler
 * alone.
 */
async function formatList(
  { statement, list, items }: ListStatement,
  formattedShapes: FormattedShapes,
): Promise<string> {
  const text = print(statement);
  const at = text.lastIndexOf(LIST_MARK);
  const [open, close] = list === 'array' ? ['[', ']'] : ['{', '}'];
  const around = (literal: string) => `${text.slice(0, at)}${literal}${text.slice(at + LIST_MARK.length)}`;
  // One item a line: prettier keeps an object literal broken after a line break at its `{`, so a short list is
  // written on one line and left to prettier as a whole.
  const wrap = (inside: readonly string[]) => around(`${open}\n${inside.map((item) => `${item},\n`).join('')}${close}`);
  const whole = () => formatCode(around(`${open}${items.join(', ')}${close}`), formattedShapes);
  const width = PRETTIER_OPTIONS.printWidth;
  if (items.reduce((sum, item) => sum + item.length + 2, 0) <= 2 * width) return whole();
  const fillerText = 'y'.repeat(width);
  const filler = list === 'array' ? `'${fillerText}'` : `y: '${fillerText}'`;
  // The filler is the list's last item: its line is the last that holds its text.
  const linesAround = (formatted: string) => {
    const at = formatted.lastIndexOf(fillerText);
    return { lines: formatted.split('\n'), fillerLine: at < 0 ? -1 : formatted.slice(0, at).split('\n').length - 1 };
  };
  const frame = linesAround(await formatCode(wrap([filler]), formattedShapes));
  const before = frame.lines.slice(0, frame.fillerLine);
  const out = [...before];
  for (const item of items) {
    const formatted = linesAround(await formatCode(wrap([item, filler]), formattedShapes));
    const framed =
      formatted.fillerLine >= 0 && formatted.lines.slice(0, before.length).join('\n') === before.join('\n');
    if (!framed) return whole();
    out.push(formatted.lines.slice(before.length, formatted.fillerLine).join('\n'));
  }
  return [...out, ...frame.lines.slice(frame.fillerLine + 1)].join('\n');
}

/** `//` and the text; line breaks inside it (CR, LS, PS) are escaped so none can end the comment. */
function commentLine(text: string): string {
  return `// ${escapeLineBreaks(text)}`.trimEnd();
}

function escapeLineBreaks(text: string): string {
  return text.replace(/[\n\r\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Masked code → prettier's layout of it with its stand-ins' places (scanned once), or null if prettier rejects it. */
type FormattedShapes = Map<string, { formatted: string; places: TokenPlace[] } | null>;

/** `code` as prettier formats it, through the formatted shape when one is known (a shape is its masked code). */
async function formatCode(code: string, formattedShapes: FormattedShapes): Promise<string> {
  const { masked, tokens } = mask(code);
  let shape = formattedShapes.get(masked);
  if (shape === undefined) {
    // Masking can make code prettier rejects or spells otherwise; the unmasked code is then formatted as it is.
    const formatted = await format(masked, PRETTIER_OPTIONS).catch(() => '');
    shape = formatted ? { formatted, places: maskableTokens(formatted) } : null;
    formattedShapes.set(masked, shape);
  }
  return (shape && unmask(shape.formatted, shape.places, tokens)) || format(code, PRETTIER_OPTIONS);
}

/** A token's kind and where it is in the code. */
interface TokenPlace {
  kind: ts.SyntaxKind;
  start: number;
  end: number;
}

interface Token extends TokenPlace {
  /** Prettier's spelling of the token (its quotes, its number form), then its same-width stand-in. */
  text: string;
  stand: string;
}

/** The code with every identifier, number and (non-key) string replaced by its stand-in, and the tokens replaced. */
function mask(code: string): { masked: string; tokens: Token[] } {
  const tokens = maskableTokens(code).map((token) => {
    const text = prettierSpelling(token.kind, code.slice(token.start, token.end));
    return { ...token, text, stand: standIn(token.kind, text) };
  });
  let masked = '';
  let at = 0;
  for (const token of tokens) {
    masked += code.slice(at, token.start) + token.stand;
    at = token.end;
  }
  return { masked: masked + code.slice(at), tokens };
}

/**
 * Puts the real tokens where prettier put their stand-ins (`found`, the formatted code's maskable tokens), or null
 * when the stand-ins did not come back as given.
 */
function unmask(formatted: string, found: readonly TokenPlace[], tokens: readonly Token[]): string | null {
  if (found.length !== tokens.length) return null;
  let code = '';
  let at = 0;
  for (const [i, place] of found.entries()) {
    const token = tokens[i]!;
    const stand = formatted.slice(place.start, place.end);
    // A string's stand-in may come back in the other quotes; anything else must come back unchanged.
    const same =
      token.kind === ts.SyntaxKind.StringLiteral
        ? stand.slice(1, -1) === token.stand.slice(1, -1)
        : stand === token.stand;
    if (place.kind !== token.kind || !same) return null;
    code += formatted.slice(at, place.start) + token.text;
    at = place.end;
  }
  return code + formatted.slice(at);
}

// One scanner for every scan (creating one per section costs more than the scan).
const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard);
const MASKED = new Set([ts.SyntaxKind.Identifier, ts.SyntaxKind.NumericLiteral, ts.SyntaxKind.StringLiteral]);

/**
 * Identifiers, numbers and strings, except strings that are property keys (prettier may unquote those) and
 * `meta` of `import.meta`. Template literals stay as they are (their `${..}` expressions are scanned).
 */
function maskableTokens(code: string): TokenPlace[] {
  scanner.setText(code);
  const all: TokenPlace[] = [];
  // Open braces and template spans, to rescan a `}` that continues a template.
  const braces: boolean[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.TemplateHead) braces.push(true);
    else if (kind === ts.SyntaxKind.OpenBraceToken) braces.push(false);
    else if (kind === ts.SyntaxKind.CloseBraceToken && braces.pop()) {
      kind = scanner.reScanTemplateToken(false);
      if (kind === ts.SyntaxKind.TemplateMiddle) braces.push(true);
    }
    all.push({ kind, start: scanner.getTokenStart(), end: scanner.getTokenEnd() });
  }
  return all.filter(
    (token, i) =>
      MASKED.has(token.kind) &&
      !(token.kind === ts.SyntaxKind.StringLiteral && all[i + 1]?.kind === ts.SyntaxKind.ColonToken) &&
      !(all[i - 1]?.kind === ts.SyntaxKind.DotToken && all[i - 2]?.kind === ts.SyntaxKind.ImportKeyword),
  );
}

/**
 * A string in the quotes prettier prefers (single, unless that takes more escapes) and its escapes; a number in
 * its shortest form (`1e+21` → `1e21`); an identifier as it is.
 */
function prettierSpelling(kind: ts.SyntaxKind, text: string): string {
  if (kind === ts.SyntaxKind.NumericLiteral) return text.toLowerCase().replace('e+', 'e');
  if (kind !== ts.SyntaxKind.StringLiteral) return text;
  const content = text.slice(1, -1);
  // Most strings hold no quote and no escape: single quotes around the same text.
  if (!/['"\\]/.test(content)) return `'${content}'`;
  return util.makeString(content, util.getPreferredQuote(content, true), true);
}

/**
 * Same width (as prettier measures it) and kind, in characters prettier keeps as they are: `arm_7` → `xxx_0`,
 * `0.0005` → `1.1111`, `'a-b'` → `'xxx'`. Case and `_`/`$` are kept (prettier treats capitalised and `_`-only names
 * as factories).
 */
function standIn(kind: ts.SyntaxKind, text: string): string {
  if (kind === ts.SyntaxKind.NumericLiteral) return text.replace(/\d/g, '1');
  if (kind === ts.SyntaxKind.StringLiteral) {
    const content = text.slice(1, -1);
    return `'${'x'.repeat(/^[\x20-\x7e]*$/.test(content) ? content.length : util.getStringWidth(content))}'`;
  }
  return text.replace(/[A-Za-z0-9]/g, (char) => (char <= '9' ? '0' : char <= 'Z' ? 'X' : 'x'));
}
