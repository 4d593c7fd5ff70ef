// `label_shift { minority 0.5, rate 0.2, reverse 1 }`: the paper's label shift.
import { num, probability } from '../../schema.ts';
import { keepClassRates } from './class-rates.ts';
import type { TransformDef } from './transform.ts';

/**
 * A `minority` fraction of the classes (0.5: classes 0..⌊k/2⌋−1) kept at `rate`, the other classes kept
 * whole; `reverse 1` makes the last classes the minorities instead, giving the shifted side of the pair.
 */
export const labelShift: TransformDef = {
  doc: 'sub-sample a set of minority classes',
  attributes: {
    minority: probability('fraction of classes that become minority classes', 0.5),
    rate: probability('keep rate of minority-class examples', 0.2),
    reverse: num(
      '1 makes the last classes the minorities (the shifted side of a label shift)',
      { integer: true, min: 0, max: 1 },
      0,
    ),
  },
  records: [],
  input: 'any',
  support: [],
  apply(ds, params, { random }) {
    const minorities = Math.floor((params.minority as number) * ds.classes);
    const reverse = params.reverse === 1;
    const isMinority = (label: number) => (reverse ? label >= ds.classes - minorities : label < minorities);
    const rates = Array.from({ length: ds.classes }, (_, label) => (isMinority(label) ? (params.rate as number) : 1));
    return keepClassRates(ds, rates, random);
  },
};
