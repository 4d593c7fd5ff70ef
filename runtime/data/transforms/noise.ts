// `noise { std 0.1 }`: additive Gaussian noise; images are clipped back to [0, 1], vectors are not.
import { num } from '../../schema.ts';
import type { TransformDef } from './transform.ts';

export const noise: TransformDef = {
  doc: 'additive Gaussian noise',
  attributes: { std: num('standard deviation of additive Gaussian noise', { min: 0 }, 0.1) },
  records: [],
  input: 'any',
  support: [{ feature: 'noise', set: [[0, 'std']] }],
  apply(ds, params, { random }) {
    const std = params.std as number;
    const clip = ds.shape.length === 3;
    const x = ds.x.slice();
    for (let j = 0; j < x.length; j++) {
      const value = x[j] + std * random.normal();
      x[j] = clip ? Math.min(1, Math.max(0, value)) : value;
    }
    return { ...ds, x };
  },
};
