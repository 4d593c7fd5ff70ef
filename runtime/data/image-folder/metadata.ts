// The metadata half of an image folder: which image each row names, its label, its split part and its
// recorded attributes, all validated before a single image is decoded (a bad row fails in milliseconds).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DataError } from '../errors.ts';
import { codeColumn, columnIndex, splitColumn } from './codes.ts';
import { parseCsv } from './csv.ts';

/** What a study's `images "metadata.csv" { .. }` block says. */
export interface ImageFolderSpec {
  /** The metadata CSV. */
  csv: string;
  /** Column with each image's path, relative to `root`. */
  file: string;
  /** Folder the image paths are relative to; default: the CSV's folder. */
  root?: string;
  /** Label column: whole numbers 0..k-1, or other values numbered in sorted order. */
  label: string;
  /** Declared number of classes; default: what the label column holds. */
  classes?: number;
  /** Optional split column: 0/1/2 or train/val/test. */
  split?: string;
  /** Columns recorded per example, as integer codes. */
  attributes?: string[];
  /** [height, width] every image is resized to; default: the first image's size. */
  size?: [number, number];
  /** 1 (grey) or 3 (RGB); default 3. */
  channels?: 1 | 3;
}

export interface ImageTable {
  csv: string;
  root: string;
  /** Absolute path of each row's image. */
  files: string[];
  /** Line of the CSV each row comes from, for error messages. */
  lines: number[];
  labels: Int32Array;
  classes: number;
  /** labelNames[code]: the label value a class stands for. */
  labelNames: string[];
  /** Per row 0 = train, 1 = val, 2 = test; absent without a split column. */
  split?: Uint8Array;
  attributes: Record<string, Int32Array>;
  attributeValues: Record<string, string[]>;
}

export function readMetadata(spec: ImageFolderSpec): ImageTable {
  const csv = resolve(spec.csv);
  let text: string;
  try {
    text = readFileSync(csv, 'utf8');
  } catch (error) {
    throw new DataError(
      `${csv}: cannot read the metadata CSV (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  const table = parseCsv(text, csv);
  // Like `csv`, `root` is resolved by the caller's base (the study's folder), not the CSV's.
  const root = spec.root === undefined ? dirname(csv) : resolve(spec.root);
  const fileAt = columnIndex(table, spec.file, 'file');
  const files = table.records.map((record) => {
    const name = record.cells[fileAt].trim();
    if (name === '') throw new DataError(`${csv}:${record.line}: the file column '${spec.file}' is empty`);
    return resolve(root, name);
  });
  if (spec.classes !== undefined && (!Number.isInteger(spec.classes) || spec.classes < 2)) {
    throw new DataError(`${csv}: classes must be a whole number of at least 2, got ${spec.classes}`);
  }
  const label = codeColumn(table, spec.label, 'label', spec.classes);
  const classes = spec.classes ?? label.names.length;
  if (classes < 2)
    throw new DataError(`${csv}: the label column '${spec.label}' holds a single class (${label.names.join(', ')})`);
  const attributes: Record<string, Int32Array> = {};
  const attributeValues: Record<string, string[]> = {};
  for (const name of spec.attributes ?? []) {
    const coded = codeColumn(table, name, 'attribute', undefined);
    attributes[name] = coded.codes;
    attributeValues[name] = coded.names;
  }
  return {
    csv,
    root,
    files,
    lines: table.records.map((record) => record.line),
    labels: label.codes,
    classes,
    labelNames: label.names,
    split: spec.split === undefined ? undefined : splitColumn(table, spec.split),
    attributes,
    attributeValues,
  };
}
