// `class_rates [r0, r1, …]`: keep each class with its own rate.
import type { Dataset } from '../dataset.ts';
import { DataError } from '../errors.ts';
import { indicesByClass, subset } from '../ops.ts';
import type { Random } from '../../random.ts';
import type { TransformDef } from './transform.ts';

/** Keeps round(rates[c] · n_c) examples of each class c, chosen at random, in dataset order. */
export function keepClassRates(ds: Dataset, rates: number[], random: Random): Dataset {
  const kept: number[] = [];
  indicesByClass(ds).forEach((members, label) => {
    const order = random.permutation(members.length);
    const count = Math.round(rates[label] * members.length);
    for (let k = 0; k < count; k++) kept.push(members[order[k]]);
  });
  return subset(
    ds,
    kept.sort((a, b) => a - b),
  );
}

export const classRates: TransformDef = {
  doc: 'keep each class with its own rate',
  attributes: {},
  positional: {
    name: 'rates',
    type: { type: 'numberList', min: 0 },
    required: true,
    doc: 'the fraction of each class to keep',
  },
  records: [],
  input: 'any',
  support: [],
  apply(ds, params, { random }) {
    const rates = params.rates as number[];
    if (rates.length !== ds.classes)
      throw new DataError(`class_rates: ${rates.length} rates for ${ds.classes} classes`);
    if (rates.some((rate) => rate < 0 || rate > 1))
      throw new DataError(`class_rates: rates must lie in [0, 1], got [${rates.join(', ')}]`);
    return keepClassRates(ds, rates, random);
  },
};
