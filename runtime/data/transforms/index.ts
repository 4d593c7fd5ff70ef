// The transform registry: kind → implementation, and the one entry point the executor calls.
import type { Dataset, SplitName } from '../dataset.ts';
import { DataError } from '../errors.ts';
import type { TransformSpec } from '../specs.ts';
import { deriveSeed, Random } from '../../random.ts';
import { augment } from './augment.ts';
import { hflip, pad, rotate, vflip } from './geometric.ts';
import { invert, noise, tint } from './pixel.ts';
import { balancedBy, classRates, labelShift, limit } from './sampling.ts';
import { resample, rotateSubspace } from './subspace.ts';
import type { Transform } from './transform.ts';

export const TRANSFORMS: Record<string, Transform> = {
  tint,
  vflip,
  hflip,
  pad,
  rotate,
  noise,
  invert,
  label_shift: labelShift,
  class_rates: classRates,
  limit,
  balanced_by: balancedBy,
  augment,
  rotate_subspace: rotateSubspace,
  resample,
};

/**
 * Applies one transform to one split and returns a new Dataset (the input is never modified). Randomness
 * comes from a stream derived from (seed, kind, split) alone, so each example's outcome is fixed by the seed
 * and unrelated jobs never share a stream. Callers chaining two stages of the same kind should pass
 * distinct seeds (e.g. deriveSeed(studySeed, distribution, stageIndex)).
 */
export function applyTransform(dataset: Dataset, spec: TransformSpec, seed: number, splitName: SplitName): Dataset {
  const transform = TRANSFORMS[spec.kind];
  if (!transform) throw new DataError(`unknown transform '${spec.kind}' (known: ${Object.keys(TRANSFORMS).join(', ')})`);
  const random = new Random(deriveSeed(seed, 'transform', spec.kind, splitName));
  return transform(dataset, spec.params, { random, split: splitName });
}
