// A metadata CSV as the datasets ship it (RFC 4180): a header row, comma-separated cells, cells optionally in
// double quotes (with "" for a quote inside, and commas or line breaks allowed), LF or CRLF line ends, and an
// optional UTF-8 byte-order mark (spreadsheet exports add one; it must not become part of the first column's name).
import { DataError } from '../errors.ts';

export interface CsvRecord {
  /** 1-based line of the file where the record starts (the header is line 1): what error messages cite. */
  line: number;
  cells: string[];
}

export interface CsvTable {
  file: string;
  header: string[];
  records: CsvRecord[];
}

/** Parses `text` (the content of `file`, named in errors). Blank lines are skipped; every record must have the header's width. */
export function parseCsv(text: string, file: string): CsvTable {
  const rows = splitRecords(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, file);
  if (rows.length === 0) throw new DataError(`${file}: the CSV is empty (it needs a header row and one row per image)`);
  const [head, ...records] = rows;
  const header = head.cells.map((name) => name.trim());
  for (const [i, name] of header.entries()) {
    if (name === '') throw new DataError(`${file}:1: column ${i + 1} of the header has no name`);
    if (header.indexOf(name) !== i) throw new DataError(`${file}:1: column '${name}' appears twice in the header`);
  }
  if (records.length === 0) throw new DataError(`${file}: the CSV has a header but no rows`);
  for (const record of records) {
    if (record.cells.length !== header.length) {
      throw new DataError(`${file}:${record.line}: has ${record.cells.length} cells, the header has ${header.length}`);
    }
  }
  return { file, header, records };
}

function splitRecords(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  // Whether the current record has any content (a quoted empty cell counts), so blank lines can be skipped.
  let touched = false;
  const endRecord = () => {
    cells.push(cell);
    if (touched || cells.length > 1) records.push({ line: start, cells });
    cells = [];
    cell = '';
    touched = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (cell.trim() !== '') throw new DataError(`${file}:${line}: a quote inside an unquoted cell ("${cell}")`);
      quoted = true;
      touched = true;
      cell = '';
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
      touched = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else {
      cell += ch;
      if (ch !== ' ' && ch !== '\t') touched = true;
    }
  }
  if (quoted) throw new DataError(`${file}:${start}: a quoted cell is not closed before the end of the file`);
  endRecord();
  return records;
}
