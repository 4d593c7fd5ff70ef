// The little dense linear algebra synthetic data needs: vectors are plain number arrays, matrices are
// row-major arrays of `rows × columns`.
import { type Random } from '../random.ts';

export function dot(
  a: ArrayLike<number>,
  aOffset: number,
  b: ArrayLike<number>,
  bOffset: number,
  length: number,
): number {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += a[aOffset + i] * b[bOffset + i];
  return sum;
}

/** `count` orthonormal rows of length `dim` (Gram–Schmidt on Gaussian draws); count ≤ dim. */
export function randomOrthonormalRows(random: Random, count: number, dim: number): number[] {
  const rows: number[] = [];
  for (let r = 0; r < count; r++) {
    for (;;) {
      const row = Array.from({ length: dim }, () => random.normal());
      for (let q = 0; q < r; q++) {
        const projection = dot(row, 0, rows, q * dim, dim);
        for (let i = 0; i < dim; i++) row[i] -= projection * rows[q * dim + i];
      }
      const norm = Math.sqrt(dot(row, 0, row, 0, dim));
      // A draw (almost) inside the span so far is redrawn rather than amplified into noise.
      if (norm > 1e-6) {
        rows.push(...row.map((value) => value / norm));
        break;
      }
    }
  }
  return rows;
}

/** Coordinates of `x` (length dim) along each of the `rows` orthonormal rows. */
export function coordinates(rows: number[], x: ArrayLike<number>, xOffset: number, dim: number): number[] {
  const count = rows.length / dim;
  return Array.from({ length: count }, (_, r) => dot(rows, r * dim, x, xOffset, dim));
}
