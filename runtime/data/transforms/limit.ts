// `limit 500`: the first n examples of a seeded order (all of them when n ≥ size), kept in dataset order.
import { subset } from '../ops.ts';
import type { TransformDef } from './transform.ts';

export const limit: TransformDef = {
  doc: 'keep at most N examples',
  attributes: {},
  positional: {
    name: 'n',
    type: { type: 'number', integer: true, min: 1 },
    required: true,
    doc: 'the most examples kept per split',
  },
  records: [],
  input: 'any',
  support: [],
  sizes: { cap: 'n' },
  apply(ds, params, { random }) {
    const n = params.n as number;
    if (n >= ds.size) return ds;
    return subset(ds, random.permutation(ds.size).slice(0, n).sort());
  },
};
