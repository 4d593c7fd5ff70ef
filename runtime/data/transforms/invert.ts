// `invert { p 0.5 }`: x ← 1 − x with probability p; records `invert` (1 for inverted examples).
import { exampleLength } from '../ops.ts';
import { probability } from '../../schema.ts';
import type { TransformDef } from './transform.ts';

export const invert: TransformDef = {
  doc: 'invert intensities',
  attributes: { p: probability('probability of flipping each example', 1) },
  records: ['invert'],
  input: 'image',
  support: [{ feature: 'invert', toggle: 'p' }],
  apply(ds, params, { random }) {
    const p = params.p as number;
    const length = exampleLength(ds.shape);
    const x = ds.x.slice();
    const inverted = new Int32Array(ds.size);
    for (let i = 0; i < ds.size; i++) {
      if (!random.chance(p)) continue;
      inverted[i] = 1;
      for (let j = i * length; j < (i + 1) * length; j++) x[j] = 1 - x[j];
    }
    return { ...ds, x, attributes: { ...ds.attributes, invert: inverted } };
  },
};
