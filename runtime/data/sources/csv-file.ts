// The user's own CSV files: a header row naming the columns, one example per line, numbers only (no
// quoting). The `label` column holds integer class labels; every other column is an input feature.
import { readFileSync } from 'node:fs';
import type { Dataset } from '../dataset.ts';
import { DataError } from '../errors.ts';
import type { Params } from '../specs.ts';
import { classCount, holdOutTest } from './held-out.ts';
import { pathText, required, text } from '../../schema.ts';
import type { LoadedSource } from './loaded.ts';
import { declaredClasses, fileClasses, heldOut, path, validation, type SourceDef } from './source.ts';

interface CsvTable {
  file: string;
  columns: string[];
  features: Float32Array;
  labels: Int32Array;
}

function readCsv(file: string, labelColumn: string): CsvTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DataError(`${file}: cannot read CSV file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length < 2) throw new DataError(`${file}: needs a header row and at least one example`);
  const columns = lines[0].split(',').map((name) => name.trim());
  const labelAt = columns.indexOf(labelColumn);
  if (labelAt < 0) throw new DataError(`${file}: no column '${labelColumn}' (columns: ${columns.join(', ')})`);
  const width = columns.length - 1;
  const rows = lines.length - 1;
  const features = new Float32Array(rows * width);
  const labels = new Int32Array(rows);
  for (let row = 0; row < rows; row++) {
    const line = row + 2;
    const cells = lines[row + 1].split(',');
    if (cells.length !== columns.length) {
      throw new DataError(`${file}:${line}: has ${cells.length} cells, the header has ${columns.length}`);
    }
    let feature = 0;
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c].trim();
      const value = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(value))
        throw new DataError(`${file}:${line}: column '${columns[c]}' holds "${cell}", not a number`);
      if (c !== labelAt) {
        features[row * width + feature++] = value;
      } else if (!Number.isInteger(value) || value < 0) {
        throw new DataError(`${file}:${line}: label ${cell} must be a non-negative whole number`);
      } else {
        labels[row] = value;
      }
    }
  }
  return { file, columns, features, labels };
}

const maxLabel = (table: CsvTable) => table.labels.reduce((max, label) => Math.max(max, label), 0);

function toDataset(table: CsvTable, classes: number): Dataset {
  const width = table.columns.length - 1;
  return { shape: [width], classes, size: table.labels.length, x: table.features, y: table.labels, attributes: {} };
}

async function loadCsvFile(params: Params, seed: number): Promise<LoadedSource> {
  const label = params.label as string;
  const main = readCsv(params.path as string, label);
  const testPath = params.test_path as string | undefined;
  const test = testPath === undefined ? undefined : readCsv(testPath, label);
  if (test && test.columns.join(',') !== main.columns.join(',')) {
    throw new DataError(
      `${test.file}: columns (${test.columns.join(', ')}) differ from ${main.file}'s (${main.columns.join(', ')})`,
    );
  }
  const classes = classCount(
    params,
    [main, ...(test ? [test] : [])].map((table) => ({ file: table.file, maxLabel: maxLabel(table) })),
  );
  if (test) return { train: toDataset(main, classes), test: toDataset(test, classes) };
  return holdOutTest(toDataset(main, classes), params, 'csv', seed);
}

export const csv: SourceDef = {
  doc: 'a CSV file of numeric features and a label column',
  attributes: {
    label: required(text('the label column')),
    test_path: pathText('a separate CSV test file'),
    test: heldOut,
    val: validation,
    classes: fileClasses,
  },
  positional: [path('path', 'the CSV file')],
  shape: () => ({ kind: 'unknown' }),
  classes: declaredClasses,
  load: loadCsvFile,
};
