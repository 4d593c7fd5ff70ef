// Fashion-MNIST from the `fashion-mnist` package: one JSON file per class (`src/clothes/N.json`, shaped
// {"data": [[784 bytes], …]}, 7,002 images each). JSON.parse of all ten files would build ~55M JS numbers, so
// each file is scanned as bytes instead: images are located with native indexOf and only the selected
// ones are decoded.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Dataset } from '../dataset.ts';
import { DataError } from '../errors.ts';
import type { Params } from '../specs.ts';
import { deriveSeed, Random } from '../../random.ts';
import type { LoadedSource } from './loaded.ts';
import { digitsSource, trainTest } from './source.ts';

const CLASSES = 10;
const PIXELS = 28 * 28;
const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]

function clothesFile(label: number): string {
  return join(
    dirname(createRequire(import.meta.url).resolve('fashion-mnist/package.json')),
    'src',
    'clothes',
    `${label}.json`,
  );
}

/** Byte offsets of the '[' opening each image. A few entries in the files are empty (`[]`) and are skipped. */
function imageOffsets(bytes: Buffer, file: string): number[] {
  let position = bytes.indexOf(OPEN, bytes.indexOf('"data"')) + 1;
  if (position <= 0) throw new DataError(`${file}: no "data" array`);
  const offsets: number[] = [];
  for (;;) {
    const open = bytes.indexOf(OPEN, position);
    if (open < 0) return offsets;
    if (bytes[open + 1] !== CLOSE) offsets.push(open);
    position = bytes.indexOf(CLOSE, open) + 1;
    if (position <= 0) throw new DataError(`${file}: unterminated image at byte ${open}`);
  }
}

/** How many images each class file holds; counted once per process since the files never change. */
let classSizes: number[] | undefined;
function countImages(): number[] {
  classSizes ??= Array.from(
    { length: CLASSES },
    (_, label) => imageOffsets(readFileSync(clothesFile(label)), clothesFile(label)).length,
  );
  return classSizes;
}

/** Decodes the images of one class file at `positions` into `into`, image positions[k] at slot slots[k]. */
function decodeImages(file: string, positions: number[], slots: number[], into: Float32Array): void {
  const bytes = readFileSync(file);
  const offsets = imageOffsets(bytes, file);
  for (let k = 0; k < positions.length; k++) {
    const base = slots[k] * PIXELS;
    let count = 0;
    let value = -1;
    for (let position = offsets[positions[k]] + 1; position < bytes.length; position++) {
      const byte = bytes[position];
      if (byte >= 0x30 && byte <= 0x39) {
        value = (value < 0 ? 0 : value * 10) + byte - 0x30;
      } else {
        if (value >= 0) {
          if (count < PIXELS) into[base + count] = value / 255;
          count++;
          value = -1;
        }
        if (byte === CLOSE) break;
      }
    }
    if (count !== PIXELS) throw new DataError(`${file}: image ${positions[k]} has ${count} pixels, expected ${PIXELS}`);
  }
}

/** A dataset of the given pooled examples (pool index = images of earlier classes + position in the class file). */
function gather(pooled: Int32Array, sizes: number[]): Dataset {
  const size = pooled.length;
  const x = new Float32Array(size * PIXELS);
  const y = new Int32Array(size);
  let first = 0;
  for (let label = 0; label < CLASSES; label++) {
    const positions: number[] = [];
    const slots: number[] = [];
    for (let slot = 0; slot < size; slot++) {
      const position = pooled[slot] - first;
      if (position >= 0 && position < sizes[label]) {
        positions.push(position);
        slots.push(slot);
        y[slot] = label;
      }
    }
    if (positions.length > 0) decodeImages(clothesFile(label), positions, slots, x);
    first += sizes[label];
  }
  return { shape: [28, 28, 1], classes: CLASSES, size, x, y, attributes: {} };
}

/**
 * All images pooled (70,018), then split into disjoint train and test parts by a seeded permutation; each
 * part keeps that random order (the files are sorted by class).
 */
async function loadFashionMnist(params: Params, seed: number): Promise<LoadedSource> {
  const sizes = countImages();
  const total = sizes.reduce((sum, count) => sum + count, 0);
  const { train: trainCount, test: testCount } = trainTest(params);
  if (trainCount + testCount > total) {
    throw new DataError(`fashion_mnist: train ${trainCount} + test ${testCount} exceeds the ${total} images available`);
  }
  const order = new Random(deriveSeed(seed, 'fashion_mnist', 'split')).permutation(total);
  // One pass over the files for both parts: train examples first, then test, each in pool order.
  const pooled = new Int32Array(trainCount + testCount);
  pooled.set(order.subarray(0, trainCount + testCount));
  const both = gather(pooled, sizes);
  const part = (from: number, to: number): Dataset => ({
    ...both,
    size: to - from,
    x: both.x.slice(from * PIXELS, to * PIXELS),
    y: both.y.slice(from, to),
  });
  return { train: part(0, trainCount), test: part(trainCount, trainCount + testCount) };
}

export const fashionMnist = digitsSource('Fashion-MNIST clothes, 28×28 grey', loadFashionMnist);
