import type { Dataset, SplitName } from '../dataset.ts';
import type { Params } from '../specs.ts';
import type { Random } from '../../random.ts';

/** What a transform may depend on besides its input and params: a stream private to (seed, kind, split). */
export interface TransformContext {
  random: Random;
  split: SplitName;
}

/** Returns the transformed Dataset; never mutates its input (arrays left unchanged may be shared). */
export type Transform = (ds: Dataset, params: Params, context: TransformContext) => Dataset;
