// Turning IDX image/label pairs into Datasets: shared by the MNIST source and user `idx` files.
import type { Dataset } from '../dataset.ts';
import { DataError } from '../errors.ts';
import type { IdxArray } from '../idx.ts';
import { Random } from '../../random.ts';

export interface IdxPair {
  images: IdxArray;
  labels: IdxArray;
  imagesFile: string;
  labelsFile: string;
}

/** Checks that the pair describes `count` images of one shape with one label each; returns the image shape. */
export function checkIdxPair(pair: IdxPair): number[] {
  const { images, labels, imagesFile, labelsFile } = pair;
  if (images.dims.length !== 3 && images.dims.length !== 4) {
    throw new DataError(
      `${imagesFile}: expected images of rank 3 (count, rows, columns) or 4 (…, channels), got dimensions [${images.dims.join(', ')}]`,
    );
  }
  if (labels.dims.length !== 1) {
    throw new DataError(`${labelsFile}: expected labels of rank 1, got dimensions [${labels.dims.join(', ')}]`);
  }
  if (labels.dims[0] !== images.dims[0]) {
    throw new DataError(`${labelsFile}: ${labels.dims[0]} labels for ${images.dims[0]} images in ${imagesFile}`);
  }
  const [, rows, columns, channels = 1] = images.dims;
  return [rows, columns, channels];
}

/** The images at `indices`, pixels scaled from bytes to [0, 1]. Labels must be < classes. */
export function idxDataset(pair: IdxPair, indices: ArrayLike<number>, classes: number): Dataset {
  const shape = checkIdxPair(pair);
  const length = shape[0] * shape[1] * shape[2];
  const x = new Float32Array(indices.length * length);
  const y = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i];
    const label = pair.labels.data[from];
    if (label >= classes) {
      throw new DataError(
        `${pair.labelsFile}: label ${label} at position ${from} is out of range for ${classes} classes`,
      );
    }
    y[i] = label;
    const pixels = pair.images.data.subarray(from * length, (from + 1) * length);
    for (let j = 0; j < length; j++) x[i * length + j] = pixels[j] / 255;
  }
  return { shape, classes, size: indices.length, x, y, attributes: {} };
}

/** `count` distinct indices out of 0..total-1 chosen by the seed, in ascending order. */
export function chooseIndices(total: number, count: number, seed: number): Int32Array {
  return new Random(seed).permutation(total).slice(0, count).sort();
}
