// Infers a shift's kind from the two transform chains: the shifted side is out of support when it shows
// a feature state (a flip, a rotation, a border width, a tint the class never gets…) that the reference
// side never shows. What each transform does to the support is declared by its definition (`support` in
// runtime/data/transforms/*.ts); this file only interprets those declarations.

import { transformDef, type SupportEffect } from '../../runtime/data/index.ts';
import type { Amount, Condition } from '../../runtime/data/transforms/transform.ts';
import type { Params, ShiftKind, TypedDistribution } from './typed.ts';

type Interval = [number, number];
/** Per feature, the set of states a distribution can show (continuous ranges as [lo, hi]). */
type Support = Map<string, Interval[]>;

const value = (params: Params, amount: Amount) => (typeof amount === 'number' ? amount : Number(params[amount] ?? 0));
/** Every feature starts at the single state 0 (sharp, upright, untinted…). */
const states = (support: Support, feature: string) => support.get(feature) ?? [[0, 0]];

function holds(params: Params, condition: Condition): boolean {
  const v = value(params, condition.param);
  return (
    (condition.above === undefined || v > condition.above) &&
    (condition.atLeast === undefined || v >= condition.atLeast) &&
    (condition.below === undefined || v < condition.below)
  );
}

function applyEffect(support: Support, params: Params, effect: SupportEffect) {
  if (effect.when && !effect.when.every((condition) => holds(params, condition))) return;
  const { feature } = effect;
  const current = states(support, feature);
  const intervals = (list: readonly (readonly [Amount, Amount])[]) =>
    list.map(([lo, hi]): Interval => [value(params, lo), value(params, hi)]);
  if ('toggle' in effect) {
    // p = 1 toggles every state; 0 < p < 1 adds the toggled ones.
    const p = Math.min(value(params, effect.toggle), effect.atMost ?? Infinity);
    if (p <= 0) return;
    const toggled = current.map(([lo, hi]): Interval => [1 - hi, 1 - lo]);
    support.set(feature, p >= 1 ? toggled : [...current, ...toggled]);
  } else if ('shift' in effect) {
    // Shift every state by d; with `upTo`, every shift in [0, d] is shown.
    const d = value(params, effect.shift);
    if (d === 0) return;
    support.set(
      feature,
      current.map(([lo, hi]): Interval => (effect.upTo ? [lo, hi + d] : [lo + d, hi + d])),
    );
  } else if ('set' in effect) {
    support.set(feature, intervals(effect.set));
  } else {
    support.set(feature, [...current, ...intervals(effect.add)]);
  }
}

export function supportOf(distribution: TypedDistribution): Support {
  const support: Support = new Map();
  for (const transform of distribution.transforms) {
    for (const effect of transformDef(transform.spec.kind).support) applyEffect(support, transform.spec.params, effect);
  }
  return support;
}

const covered = ([lo, hi]: Interval, by: Interval[]) => by.some(([a, b]) => a <= lo + 1e-9 && hi <= b + 1e-9);

/** The features whose shifted states the reference never shows. */
export function newFeatures(reference: TypedDistribution, shifted: TypedDistribution): string[] {
  const before = supportOf(reference);
  const after = supportOf(shifted);
  const differentSource = reference.data !== shifted.data ? ['source'] : [];
  // A feature only the reference changed still counts: the shifted side's untouched state 0 may be new.
  const features = [...new Set([...after.keys(), ...before.keys()])];
  return [
    ...differentSource,
    ...features.filter((feature) => !states(after, feature).every((i) => covered(i, states(before, feature)))),
  ];
}

export function inferShiftKind(reference: TypedDistribution, shifted: TypedDistribution): ShiftKind {
  return newFeatures(reference, shifted).length ? 'out_of_support' : 'in_support';
}
