// The transform registry: one line per transform (each defined in its own file), and the one entry point
// the executor calls. To add a transform, see docs/contributing.md.
import type { Dataset, SplitName } from '../dataset.ts';
import { DataError } from '../errors.ts';
import type { TransformSpec } from '../specs.ts';
import { deriveSeed, Random } from '../../random.ts';
import { withDefaults } from '../../schema.ts';
import { augment } from './augment.ts';
import { balancedBy } from './balanced-by.ts';
import { blur } from './blur.ts';
import { classRates } from './class-rates.ts';
import { hflip } from './hflip.ts';
import { invert } from './invert.ts';
import { labelShift } from './label-shift.ts';
import { limit } from './limit.ts';
import { noise } from './noise.ts';
import { pad } from './pad.ts';
import { resample } from './resample.ts';
import { rotate } from './rotate.ts';
import { rotateSubspace } from './rotate-subspace.ts';
import { tint } from './tint.ts';
import type { TransformDef } from './transform.ts';
import { vflip } from './vflip.ts';

export const TRANSFORMS: Readonly<Record<string, TransformDef>> = {
  tint,
  vflip,
  hflip,
  invert,
  pad,
  rotate,
  noise,
  label_shift: labelShift,
  class_rates: classRates,
  limit,
  balanced_by: balancedBy,
  augment,
  rotate_subspace: rotateSubspace,
  resample,
  blur,
};

export function transformDef(kind: string): TransformDef {
  const def = TRANSFORMS[kind];
  if (!def) throw new DataError(`unknown transform '${kind}' (known: ${Object.keys(TRANSFORMS).join(', ')})`);
  return def;
}

/**
 * Applies one transform to one split and returns a new Dataset (the input is never modified). The params
 * were validated at check time; here they only get the schema's defaults (withDefaults). Randomness comes from a stream derived from (seed, kind, split) alone, so
 * each example's outcome is fixed by the seed and unrelated jobs never share a stream. Callers chaining two
 * stages of the same kind should pass distinct seeds (e.g. deriveSeed(studySeed, distribution, stageIndex)).
 */
export function applyTransform(dataset: Dataset, spec: TransformSpec, seed: number, splitName: SplitName): Dataset {
  const def = transformDef(spec.kind);
  const params = withDefaults(def, spec.params);
  const random = new Random(deriveSeed(seed, 'transform', spec.kind, splitName));
  return def.apply(dataset, params, { random, split: splitName });
}
