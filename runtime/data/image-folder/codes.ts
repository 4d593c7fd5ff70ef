// Turning a metadata column into integer codes, one rule for labels and recorded attributes alike:
// non-negative whole numbers are their own codes (Waterbirds' y = 0/1, place = 0/1); any other values are
// numbered in sorted order, numerically when all are numbers (CelebA's -1/1 → 0/1), else as strings
// ('landbird' < 'waterbird'), so the same set of values always gets the same codes.
import { DataError } from '../errors.ts';
import type { CsvTable } from './csv.ts';

export interface CodedColumn {
  codes: Int32Array;
  /** names[code] is the value the code stands for (for whole numbers, the number itself). */
  names: string[];
}

const WHOLE = /^\d+$/;

/** Index of `column` in the table's header, or a DataError listing the columns there are. */
export function columnIndex(table: CsvTable, column: string, role: string): number {
  const at = table.header.indexOf(column);
  if (at < 0) throw new DataError(`${table.file}: no ${role} column '${column}' (columns: ${table.header.join(', ')})`);
  return at;
}

/**
 * Codes of `column`. With `declared` (a number of classes), a code ≥ declared is an error naming the row:
 * for whole numbers that is a label outside 0..declared-1; for mapped values, more distinct values than declared.
 */
export function codeColumn(table: CsvTable, column: string, role: string, declared?: number): CodedColumn {
  const at = columnIndex(table, column, role);
  const values = table.records.map((record) => record.cells[at].trim());
  values.forEach((value, i) => {
    if (value === '')
      throw new DataError(`${table.file}:${table.records[i].line}: the ${role} column '${column}' is empty`);
  });
  let codes: Int32Array;
  let names: string[];
  if (values.every((value) => WHOLE.test(value))) {
    codes = Int32Array.from(values, Number);
    const count = declared ?? codes.reduce((max, code) => Math.max(max, code + 1), 0);
    names = Array.from({ length: count }, (_, code) => String(code));
  } else {
    const numeric = values.every((value) => Number.isFinite(Number(value)));
    const distinct = [...new Set(values)];
    names = numeric
      ? distinct.sort((a, b) => Number(a) - Number(b))
      : distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const code = new Map(names.map((name, i) => [name, i]));
    codes = Int32Array.from(values, (value) => code.get(value)!);
  }
  if (declared !== undefined) {
    const bad = codes.findIndex((code) => code >= declared);
    if (bad >= 0) {
      const value = values[bad];
      const detail = WHOLE.test(value)
        ? `is outside the declared ${declared} classes (0..${declared - 1})`
        : `makes ${names.length} distinct values (${names.join(', ')}), more than the declared ${declared} classes`;
      throw new DataError(`${table.file}:${table.records[bad].line}: ${role} '${value}' ${detail}`);
    }
  }
  return { codes, names };
}

/** Split parts as stored in `ImageFolder.split`. */
export const SPLIT_PARTS = ['train', 'val', 'test'] as const;
export type SplitPart = (typeof SPLIT_PARTS)[number];

// Waterbirds and CelebA use 0/1/2; WILDS-style tables use names. Anything else is refused, not guessed.
const SPLIT_VALUES = new Map(
  Object.entries({ '0': 0, '1': 1, '2': 2, train: 0, val: 1, valid: 1, validation: 1, test: 2 }),
);

/** 0 = train, 1 = val, 2 = test for every row. */
export function splitColumn(table: CsvTable, column: string): Uint8Array {
  const at = columnIndex(table, column, 'split');
  return Uint8Array.from(table.records, (record) => {
    const value = record.cells[at].trim();
    const part = SPLIT_VALUES.get(value.toLowerCase());
    if (part === undefined) {
      throw new DataError(
        `${table.file}:${record.line}: split value '${value}' is not one of ${[...SPLIT_VALUES.keys()].join(', ')}`,
      );
    }
    return part;
  });
}
