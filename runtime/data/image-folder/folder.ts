// An image folder in memory: the decoded pixels as one uint8 tensor (a quarter of float32's memory, and
// the form cached on disk) plus the metadata table; `toDataset` turns any rows into the runtime's float
// Dataset when a job needs them.
import type { Dataset, Splits } from '../dataset.ts';
import { DataError } from '../errors.ts';
import { SPLIT_PARTS } from './codes.ts';
import type { ImageTable } from './metadata.ts';

export interface ImageFolder {
  table: ImageTable;
  /** N × height × width × channels bytes. */
  pixels: Uint8Array;
  /** [height, width, channels] of one image. */
  shape: [number, number, number];
  size: number;
}

/** The rows at `indices` (default: all) as a Dataset: pixels scaled to [0, 1], attributes as codes. */
export function toDataset(folder: ImageFolder, indices?: ArrayLike<number>): Dataset {
  const rows = indices ?? Int32Array.from({ length: folder.size }, (_, i) => i);
  const length = folder.shape[0] * folder.shape[1] * folder.shape[2];
  const x = new Float32Array(rows.length * length);
  const y = new Int32Array(rows.length);
  const names = Object.keys(folder.table.attributes);
  const attributes = Object.fromEntries(names.map((name) => [name, new Int32Array(rows.length)]));
  for (let i = 0; i < rows.length; i++) {
    const from = rows[i];
    const source = folder.pixels.subarray(from * length, (from + 1) * length);
    for (let j = 0, at = i * length; j < length; j++, at++) x[at] = source[j] / 255;
    y[i] = folder.table.labels[from];
    for (const name of names) attributes[name][i] = folder.table.attributes[name][from];
  }
  return { shape: [...folder.shape], classes: folder.table.classes, size: rows.length, x, y, attributes };
}

/** Row indices of each split part given by the split column. */
export function splitRows(folder: ImageFolder): Record<keyof Splits, Int32Array> {
  const { split, csv } = folder.table;
  if (!split) throw new DataError(`${csv}: has no split column; hold out val and test by fraction instead`);
  const rows = (part: number) => Int32Array.from(split.keys()).filter((i) => split[i] === part);
  const parts = { train: rows(0), val: rows(1), test: rows(2) };
  for (const name of SPLIT_PARTS) {
    if (parts[name].length === 0) throw new DataError(`${csv}: the split column gives no '${name}' rows`);
  }
  return parts;
}

/** The three parts the split column names, as Datasets. */
export function splitDatasets(folder: ImageFolder): Splits {
  const rows = splitRows(folder);
  return { train: toDataset(folder, rows.train), val: toDataset(folder, rows.val), test: toDataset(folder, rows.test) };
}
