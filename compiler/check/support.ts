// Infers a shift's kind from the two transform chains: the shifted side is out of support when it shows
// a feature state (a flip, a rotation, a border width, a tint the class never gets…) that the reference
// side never shows. Proportion-only transforms (label_shift, class_rates, limit, balanced_by, resample)
// change no support.

import { AUGMENT_TINT_STRENGTH } from './builtins.ts';
import type { ShiftKind, TypedDistribution, TypedTransform } from './typed.ts';

/** Per feature, the set of states a distribution can show (numbers; continuous ranges as [lo, hi]). */
type Support = Map<string, [number, number][]>;

const BASE: [string, number][] = [['vflip', 0], ['hflip', 0], ['invert', 0], ['pad', 0], ['rotate', 0], ['noise', 0], ['subspace', 0], ['tint_strength', 0], ['tint_misaligned', 0]];

function initial(): Support {
  return new Map(BASE.map(([feature, value]) => [feature, [[value, value]]]));
}

const states = (support: Support, feature: string) => support.get(feature)!;
const set = (support: Support, feature: string, intervals: [number, number][]) => support.set(feature, intervals);
const num = (transform: TypedTransform, name: string) => Number(transform.spec.params[name] ?? 0);

/** p = 1 toggles every state; 0 < p < 1 adds the toggled ones. */
function toggle(support: Support, feature: string, p: number) {
  if (p <= 0) return;
  const toggled = states(support, feature).map(([lo, hi]): [number, number] => [1 - hi, 1 - lo]);
  set(support, feature, p >= 1 ? toggled : [...states(support, feature), ...toggled]);
}

/** Shift every state by d; with `upTo`, every shift in [0, d] is shown. */
function offset(support: Support, feature: string, d: number, upTo = false) {
  if (d === 0) return;
  set(support, feature, states(support, feature).map(([lo, hi]): [number, number] => (upTo ? [lo, hi + d] : [lo + d, hi + d])));
}

function applyTransform(support: Support, transform: TypedTransform) {
  const p = transform.spec.params;
  switch (transform.spec.kind) {
    case 'vflip':
    case 'hflip':
    case 'invert':
      return toggle(support, transform.spec.kind, num(transform, 'p'));
    case 'pad':
      return offset(support, 'pad', num(transform, 'pixels'));
    case 'rotate':
      return offset(support, 'rotate', num(transform, 'degrees'));
    case 'noise':
      return set(support, 'noise', [[0, num(transform, 'std')]]);
    case 'rotate_subspace':
      return offset(support, 'subspace', num(transform, 'degrees'));
    case 'tint': {
      const strength = num(transform, 'strength');
      if (strength === 0) return;
      set(support, 'tint_strength', [[strength, strength]]);
      set(support, 'tint_misaligned', Number(p.spurious) >= 1 ? [[0, 0]] : [[0, 1]]);
      return;
    }
    case 'augment':
      for (const flip of ['vflip', 'hflip', 'invert']) toggle(support, flip, Math.min(num(transform, flip), 0.5));
      offset(support, 'pad', num(transform, 'pad'), true);
      offset(support, 'rotate', num(transform, 'rotate'), true);
      offset(support, 'noise', num(transform, 'noise'), true);
      if (num(transform, 'tint') > 0) {
        set(support, 'tint_strength', [...states(support, 'tint_strength'), [AUGMENT_TINT_STRENGTH, AUGMENT_TINT_STRENGTH]]);
        set(support, 'tint_misaligned', [[0, 1]]);
      }
      return;
    default:
      return;
  }
}

export function supportOf(distribution: TypedDistribution): Support {
  const support = initial();
  for (const transform of distribution.transforms) applyTransform(support, transform);
  return support;
}

const covered = ([lo, hi]: [number, number], by: [number, number][]) => by.some(([a, b]) => a <= lo + 1e-9 && hi <= b + 1e-9);

/** The features whose shifted states the reference never shows. */
export function newFeatures(reference: TypedDistribution, shifted: TypedDistribution): string[] {
  const before = supportOf(reference);
  const after = supportOf(shifted);
  const differentSource = reference.data !== shifted.data ? ['source'] : [];
  return [...differentSource, ...[...after].filter(([feature, intervals]) => !intervals.every((i) => covered(i, before.get(feature)!))).map(([f]) => f)];
}

export function inferShiftKind(reference: TypedDistribution, shifted: TypedDistribution): ShiftKind {
  return newFeatures(reference, shifted).length ? 'out_of_support' : 'in_support';
}
