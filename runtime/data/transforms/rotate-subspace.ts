// `rotate_subspace { degrees 45 }`: gaussian inputs rotated out of the subspace W the data spans.
import { dot } from '../linalg.ts';
import { num } from '../../schema.ts';
import { geometry } from './subspace.ts';
import type { TransformDef } from './transform.ts';

/**
 * Rotates every input by `degrees` in the planes (b_i, o_i) pairing W's basis vectors b_i with the fixed
 * directions o_i orthogonal to W that the source drew: at 90° the W part is carried wholly outside W, and
 * the component of x along each b_i keeps cos(θ) of its length. When dim < 2·rank only the first
 * dim − rank basis directions have a partner and rotate. It is a rotation, so norms are preserved.
 */
export const rotateSubspace: TransformDef = {
  doc: 'rotate inputs out of the subspace the data spans (out of support)',
  attributes: { degrees: num('angle by which inputs leave their subspace', { min: -180, max: 180 }, 45) },
  records: [],
  input: 'vector',
  support: [{ feature: 'subspace', shift: 'degrees' }],
  apply(ds, params) {
    const { basis, outside } = geometry(ds, 'rotate_subspace');
    const theta = ((params.degrees as number) * Math.PI) / 180;
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
  },
};
