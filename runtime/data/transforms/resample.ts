// `resample { margin 0.5 }`: an in-support shift of gaussian data that keeps examples by their margin.
import { DataError } from '../errors.ts';
import { subset } from '../ops.ts';
import { num, oneOf } from '../../schema.ts';
import { trueMargin } from './subspace.ts';
import type { TransformDef } from './transform.ts';

/**
 * Keeps the examples whose distance to the true boundary is below `margin` (the hard examples) or, with
 * `keep far`, at least `margin` (the easy ones). Every kept input is still a point of the reference
 * distribution's support; only the proportions change.
 */
export const resample: TransformDef = {
  doc: 'reweight examples by their margin (same support)',
  attributes: {
    margin: num('favour examples within this margin of the decision boundary', { min: 0, exclusiveMin: true }, 0.5),
    // Implicit: studies planned before the default existed leave it out of their hashed specs.
    keep: {
      ...oneOf(['near', 'far'], '`near` keeps the examples within `margin` of the boundary, `far` the others', 'near'),
      implicit: true,
    },
  },
  records: [],
  input: 'vector',
  support: [],
  apply(ds, params) {
    const margin = params.margin as number;
    const keep = params.keep as 'near' | 'far';
    const kept: number[] = [];
    for (let n = 0; n < ds.size; n++) if (Math.abs(trueMargin(ds, n)) >= margin === (keep === 'far')) kept.push(n);
    if (kept.length === 0) throw new DataError(`resample: no example is ${keep} the boundary at margin ${margin}`);
    return subset(ds, kept);
  },
};
