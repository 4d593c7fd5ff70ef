// Shifts of synthetic `gaussian` data defined by its geometry (Theorem 4.1): leaving the reference subspace
// W (out-of-support) or re-weighting inside it (in-support).
import type { Dataset, Subspace } from '../dataset.ts';
import { DataError } from '../errors.ts';
import { coordinates, dot } from '../linalg.ts';
import { subset } from '../ops.ts';
import { numberParam, stringParam } from '../params.ts';
import type { Transform } from './transform.ts';

function geometry(ds: Dataset, transform: string): Subspace {
  if (!ds.subspace) throw new DataError(`${transform} applies only to gaussian data (this data has no reference subspace)`);
  return ds.subspace;
}

/**
 * Rotates every input by `degrees` in the planes (b_i, o_i) pairing W's basis vectors b_i with the fixed
 * directions o_i orthogonal to W that the source drew: at 90° the W part is carried wholly outside W, and
 * the component of x along each b_i keeps cos(θ) of its length. When dim < 2·rank only the first
 * dim − rank basis directions have a partner and rotate. It is a rotation, so norms are preserved.
 */
export const rotateSubspace: Transform = (ds, params) => {
  const { basis, outside } = geometry(ds, 'rotate_subspace');
  const theta = (numberParam(params, 'rotate_subspace', 'degrees', 45) * Math.PI) / 180;
  const dim = ds.shape[0];
  const planes = outside.length / dim;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const x = ds.x.slice();
  for (let n = 0; n < ds.size; n++) {
    const offset = n * dim;
    for (let p = 0; p < planes; p++) {
      const a = dot(basis, p * dim, ds.x, offset, dim);
      const c = dot(outside, p * dim, ds.x, offset, dim);
      const da = a * cos - c * sin - a;
      const dc = a * sin + c * cos - c;
      for (let i = 0; i < dim; i++) x[offset + i] += da * basis[p * dim + i] + dc * outside[p * dim + i];
    }
  }
  return { ...ds, x };
};

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

/**
 * An in-support shift: keeps the examples whose distance to the true boundary is below `margin`
 * (`keep "near"`, the default: the hard examples) or at least `margin` (`keep "far"`: the easy ones). Every
 * kept input is still a point of the reference distribution's support; only the proportions change.
 */
export const resample: Transform = (ds, params) => {
  const margin = numberParam(params, 'resample', 'margin', 0.5, { min: 0 });
  const keep = stringParam(params, 'resample', 'keep', true) ?? 'near';
  if (keep !== 'far' && keep !== 'near') throw new DataError(`resample: keep must be "far" or "near", got "${keep}"`);
  const kept: number[] = [];
  for (let n = 0; n < ds.size; n++) if (Math.abs(trueMargin(ds, n)) >= margin === (keep === 'far')) kept.push(n);
  if (kept.length === 0) throw new DataError(`resample: no example is ${keep} the boundary at margin ${margin}`);
  return subset(ds, kept);
};

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
