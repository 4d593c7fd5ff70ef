// Transforms that choose examples rather than change them: class_rates / label_shift, limit, balanced_by.
// Each keeps the chosen examples in their original order and draws the choice from its seeded stream.
import { DataError } from '../errors.ts';
import { groupIds } from '../groups.ts';
import { indicesByClass, subset } from '../ops.ts';
import { listParam, numberParam } from '../params.ts';
import type { Dataset } from '../dataset.ts';
import type { Random } from '../../random.ts';
import type { Transform } from './transform.ts';

/** Keeps round(rates[c] · n_c) examples of each class c, chosen at random. */
function keepClassRates(ds: Dataset, rates: number[], random: Random): Dataset {
  const kept: number[] = [];
  indicesByClass(ds).forEach((members, label) => {
    const order = random.permutation(members.length);
    const count = Math.round(rates[label] * members.length);
    for (let k = 0; k < count; k++) kept.push(members[order[k]]);
  });
  return subset(ds, kept.sort((a, b) => a - b));
}

/** `class_rates { rates [r0, r1, …] }`: the fraction of each class to keep. */
export const classRates: Transform = (ds, params, { random }) => {
  const rates = listParam(params, 'class_rates', 'rates', 'number');
  if (rates.length !== ds.classes) throw new DataError(`class_rates: ${rates.length} rates for ${ds.classes} classes`);
  if (rates.some((rate) => rate < 0 || rate > 1)) throw new DataError(`class_rates: rates must lie in [0, 1], got [${rates.join(', ')}]`);
  return keepClassRates(ds, rates, random);
};

/**
 * The paper's label shift: a `minority` fraction of the classes (0.5: classes 0..⌊k/2⌋−1) kept at `rate`
 * (0.2), the other classes kept whole; `reverse 1` makes the last classes the minorities instead, giving
 * the shifted side of the pair.
 */
export const labelShift: Transform = (ds, params, { random }) => {
  const minority = numberParam(params, 'label_shift', 'minority', 0.5, { min: 0, max: 1 });
  const rate = numberParam(params, 'label_shift', 'rate', 0.2, { min: 0, max: 1 });
  const reverse = numberParam(params, 'label_shift', 'reverse', 0, { min: 0, max: 1, integer: true }) === 1;
  const minorities = Math.floor(minority * ds.classes);
  const isMinority = (label: number) => (reverse ? label >= ds.classes - minorities : label < minorities);
  const rates = Array.from({ length: ds.classes }, (_, label) => (isMinority(label) ? rate : 1));
  return keepClassRates(ds, rates, random);
};

/** The first `n` examples of a seeded order (all of them when n ≥ size), kept in dataset order. */
export const limit: Transform = (ds, params, { random }) => {
  const n = numberParam(params, 'limit', 'n', undefined, { min: 1, integer: true });
  if (n >= ds.size) return ds;
  return subset(ds, random.permutation(ds.size).slice(0, n).sort());
};

/**
 * Equal representation of every group formed by `attributes` (e.g. [label, aligned]; `attrs` is accepted
 * too): each group is sub-sampled
 * to the smallest group's size, or, with `per_group N`, drawn to exactly N (with replacement only for
 * groups smaller than N). Groups absent from the data stay absent.
 */
export const balancedBy: Transform = (ds, params, { random }) => {
  const attrs = listParam(params, 'balanced_by', params.attributes === undefined ? 'attrs' : 'attributes', 'string');
  const groups = groupIds(ds, attrs);
  const members: number[][] = Array.from({ length: groups.count }, () => []);
  for (let i = 0; i < ds.size; i++) members[groups.ids[i]].push(i);
  const smallest = Math.min(...members.map((group) => group.length));
  const perGroup = numberParam(params, 'balanced_by', 'per_group', smallest, { min: 1, integer: true });
  const kept: number[] = [];
  for (const group of members) {
    const order = random.permutation(group.length);
    for (let k = 0; k < perGroup; k++) kept.push(group[k < group.length ? order[k] : random.int(group.length)]);
  }
  return subset(ds, kept.sort((a, b) => a - b));
};
