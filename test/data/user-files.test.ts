import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataError, loadSource } from '../../runtime/data/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'shiftlab-data-'));

/** An IDX file of unsigned bytes with the given dimensions. */
function idxBytes(dims: number[], values: number[], magicType = 0x08): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = magicType;
  header[3] = dims.length;
  dims.forEach((side, i) => header.writeUInt32BE(side, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(values)]);
}

function write(name: string, content: string | Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** Loading must fail with a DataError naming `file` and matching `what`. */
async function rejects(params: Record<string, string | number>, kind: 'idx' | 'csv', file: string, what: RegExp) {
  try {
    await loadSource({ kind, params }, 0);
  } catch (error) {
    assert.instance(error, DataError);
    assert.ok((error as Error).message.includes(file), `message names the file: ${(error as Error).message}`);
    assert.match((error as Error).message, what);
    return;
  }
  assert.unreachable(`expected ${file} to be rejected`);
}

// Ten 2×3 images: image n has every pixel = 25·n; label n % 3.
const images = write(
  'images.idx',
  idxBytes(
    [10, 2, 3],
    Array.from({ length: 60 }, (_, j) => 25 * Math.floor(j / 6)),
  ),
);
const labels = write(
  'labels.idx',
  idxBytes(
    [10],
    Array.from({ length: 10 }, (_, n) => n % 3),
  ),
);

test('idx: images scaled to [0, 1] with their labels; the test part held out by seed', async () => {
  const { train, test: heldOut } = await loadSource({ kind: 'idx', params: { images, labels, test: 3 } }, 0);
  assert.equal(train.shape, [2, 3, 1]);
  assert.is(train.classes, 3);
  assert.is(train.size + heldOut.size, 10);
  assert.is(heldOut.size, 3);
  for (const part of [train, heldOut]) {
    for (let i = 0; i < part.size; i++) {
      const n = Math.round((part.x[i * 6] * 255) / 25);
      assert.is(part.y[i], n % 3);
      assert.ok(part.x.subarray(i * 6, i * 6 + 6).every((v) => Math.abs(v - (25 * n) / 255) < 1e-6));
    }
  }
});

test('idx: separate test files are used as the test part', async () => {
  const { train, test: heldOut } = await loadSource(
    { kind: 'idx', params: { images, labels, test_images: images, test_labels: labels } },
    0,
  );
  assert.is(train.size, 10);
  assert.is(heldOut.size, 10);
});

test('idx: missing, truncated, wrong-magic and out-of-range files name the file and the fault', async () => {
  const missing = join(dir, 'no-such.idx');
  await rejects({ images: missing, labels }, 'idx', missing, /cannot read/);
  const truncated = write(
    'truncated.idx',
    idxBytes(
      [10, 2, 3],
      Array.from({ length: 50 }, () => 0),
    ),
  );
  await rejects({ images: truncated, labels }, 'idx', truncated, /truncated/);
  const shortHeader = write('short-header.idx', Buffer.from([0, 0, 8, 3, 0, 0]));
  await rejects({ images: shortHeader, labels }, 'idx', shortHeader, /truncated/);
  const magic = write('magic.idx', Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), Buffer.alloc(100)]));
  await rejects({ images: magic, labels }, 'idx', magic, /magic number/);
  const fewLabels = write(
    'few-labels.idx',
    idxBytes(
      [9],
      Array.from({ length: 9 }, () => 0),
    ),
  );
  await rejects({ images, labels: fewLabels }, 'idx', fewLabels, /9 labels for 10 images/);
  await rejects({ images, labels, classes: 2 }, 'idx', labels, /label 2 is out of range for 2 classes/);
  // A fault in the separate test files names those files.
  const bigLabels = write(
    'big-labels.idx',
    idxBytes(
      [10],
      Array.from({ length: 10 }, (_, n) => (n === 4 ? 7 : 0)),
    ),
  );
  await rejects(
    { images, labels, test_images: images, test_labels: bigLabels, classes: 3 },
    'idx',
    bigLabels,
    /label 7/,
  );
  const wide = write(
    'wide.idx',
    idxBytes(
      [10, 3, 2],
      Array.from({ length: 60 }, () => 0),
    ),
  );
  await rejects({ images, labels, test_images: wide, test_labels: labels }, 'idx', wide, /images are 3×2×1/);
});

const csv = write('table.csv', 'a,kind,b\n1,0,2\n3,1,4\n5,2,6\n7,0,8.5\n\n');

test('csv: the label column by name, every other column a feature', async () => {
  const { train, test: heldOut } = await loadSource(
    { kind: 'csv', params: { path: csv, label: 'kind', test: 0.25 } },
    0,
  );
  assert.equal(train.shape, [2]);
  assert.is(train.classes, 3);
  assert.is(heldOut.size, 1);
  assert.is(train.size, 3);
  const rows = new Map([
    [1, 0],
    [3, 1],
    [5, 2],
    [7, 0],
  ]);
  for (const part of [train, heldOut]) {
    for (let i = 0; i < part.size; i++) {
      assert.is(part.y[i], rows.get(part.x[2 * i]));
      assert.is(part.x[2 * i + 1], part.x[2 * i] === 7 ? 8.5 : part.x[2 * i] + 1);
    }
  }
});

test('csv: ragged rows, non-numeric cells and bad labels name the file and line', async () => {
  const missing = join(dir, 'absent.csv');
  await rejects({ path: missing, label: 'kind' }, 'csv', missing, /cannot read/);
  const ragged = write('ragged.csv', 'a,kind\n1,0\n2\n');
  await rejects({ path: ragged, label: 'kind' }, 'csv', ragged, /:3: has 1 cells, the header has 2/);
  const words = write('words.csv', 'a,kind\n1,0\nhello,1\n');
  await rejects({ path: words, label: 'kind' }, 'csv', words, /:3: column 'a' holds "hello", not a number/);
  const negative = write('negative.csv', 'a,kind\n1,0\n2,-1\n');
  await rejects({ path: negative, label: 'kind' }, 'csv', negative, /label -1 must be a non-negative whole number/);
  const fraction = write('fraction.csv', 'a,kind\n1,0\n2,0.5\n');
  await rejects({ path: fraction, label: 'kind' }, 'csv', fraction, /label 0.5/);
  await rejects({ path: csv, label: 'kind', classes: 2 }, 'csv', csv, /label 2 is out of range for 2 classes/);
  await rejects({ path: csv, label: 'colour' }, 'csv', csv, /no column 'colour'/);
});

test.run();
