// The geometry of synthetic `gaussian` data (Theorem 4.1) that rotate_subspace and resample shift it by:
// leaving the reference subspace W (out-of-support) or re-weighting inside it (in-support).
import type { Dataset, Subspace } from '../dataset.ts';
import { DataError } from '../errors.ts';
import { coordinates, dot } from '../linalg.ts';

export function geometry(ds: Dataset, transform: string): Subspace {
  if (!ds.subspace)
    throw new DataError(`${transform} applies only to gaussian data (this data has no reference subspace)`);
  return ds.subspace;
}

/**
 * Signed distance of example n to the true (Bayes) boundary of its own class: the smallest distance to the
 * hyperplanes equidistant from its class mean and another class's, negative on the wrong side. Only the
 * part of x inside W matters, since the means lie in W.
 */
export function trueMargin(ds: Dataset, n: number): number {
  const { means } = geometry(ds, 'resample');
  const dim = ds.shape[0];
  const own = ds.y[n];
  let margin = Infinity;
  for (let other = 0; other < ds.classes; other++) {
    if (other === own) continue;
    const normal = Array.from({ length: dim }, (_, i) => means[own * dim + i] - means[other * dim + i]);
    const length = Math.sqrt(dot(normal, 0, normal, 0, dim));
    if (length === 0) continue;
    const midpoint = Array.from({ length: dim }, (_, i) => (means[own * dim + i] + means[other * dim + i]) / 2);
    const distance = (dot(normal, 0, ds.x, n * dim, dim) - dot(normal, 0, midpoint, 0, dim)) / length;
    margin = Math.min(margin, distance);
  }
  return margin;
}

/** Residual norm of example n after projection onto W (0 for inputs inside W). */
export function distanceFromSubspace(ds: Dataset, n: number): number {
  const { basis } = geometry(ds, 'distanceFromSubspace');
  const dim = ds.shape[0];
  const along = coordinates(basis, ds.x, n * dim, dim);
  let residual = 0;
  for (let i = 0; i < dim; i++) {
    const projected = along.reduce((sum, value, r) => sum + value * basis[r * dim + i], 0);
    residual += (ds.x[n * dim + i] - projected) ** 2;
  }
  return Math.sqrt(residual);
}
