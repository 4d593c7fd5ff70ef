// Hand-built datasets for the data tests.
import type { Dataset } from '../../runtime/data/index.ts';

/** `size` images of h × w × c whose values are given by `value(example, row, column, channel)`. */
export function images(
  size: number,
  [height, width, channels]: [number, number, number],
  value: (n: number, r: number, c: number, k: number) => number,
  classes = 10,
  label: (n: number) => number = (n) => n % classes,
): Dataset {
  const x = new Float32Array(size * height * width * channels);
  let j = 0;
  for (let n = 0; n < size; n++)
    for (let r = 0; r < height; r++)
      for (let c = 0; c < width; c++) for (let k = 0; k < channels; k++) x[j++] = value(n, r, c, k);
  return {
    shape: [height, width, channels],
    classes,
    size,
    x,
    y: Int32Array.from({ length: size }, (_, n) => label(n)),
    attributes: {},
  };
}

/** The value at (n, r, c, k) of an image dataset. */
export function pixel(ds: Dataset, n: number, r: number, c: number, k = 0): number {
  const [height, width, channels] = ds.shape;
  return ds.x[((n * height + r) * width + c) * channels + k];
}

/** Counts of each value in an Int32Array. */
export function histogram(values: Int32Array, buckets: number): number[] {
  const counts = new Array<number>(buckets).fill(0);
  for (const value of values) counts[value]++;
  return counts;
}
