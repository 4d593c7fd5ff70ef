// Every distribution's three splits: `val` is carved out of the source's training part by seed.
import type { Splits } from './dataset.ts';
import { DataError } from './errors.ts';
import { subset } from './ops.ts';
import type { LoadedSource } from './sources/loaded.ts';
import { deriveSeed, Random } from '../random.ts';

export interface SplitOptions {
  /** Fraction of the training part held out as `val` (default 0.1), or a count when ≥ 1. */
  val?: number;
}

export function makeSplits(loaded: LoadedSource, options: SplitOptions, seed: number): Splits {
  // The source's files named each example's split; they are not re-drawn.
  if (loaded.val) return { train: loaded.train, val: loaded.val, test: loaded.test };
  const val = options.val ?? 0.1;
  const valCount = val < 1 ? Math.round(val * loaded.train.size) : val;
  if (!Number.isInteger(valCount) || valCount < 0 || valCount >= loaded.train.size) {
    throw new DataError(`val ${val}: cannot hold out ${valCount} of ${loaded.train.size} training examples`);
  }
  const order = new Random(deriveSeed(seed, 'split', 'val')).permutation(loaded.train.size);
  return {
    train: subset(loaded.train, order.slice(valCount).sort()),
    val: subset(loaded.train, order.slice(0, valCount).sort()),
    test: loaded.test,
  };
}
