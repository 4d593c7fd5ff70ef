// Example counts known before anything is loaded, for `shiftlab plan`'s cost estimate (training samples ×
// epochs). Estimates only: file sources (idx, csv) are unknown until read, and sampling transforms
// (class_rates, balanced_by, resample) are taken as keeping every example.
import type { SourceSpec, TransformSpec } from '../data/specs.ts';

/** Defaults of each source kind's `train` / `test` counts (runtime/data/sources). */
const DEFAULT_COUNTS: Partial<Record<SourceSpec['kind'], { train: number; test: number }>> = {
  mnist: { train: 60000, test: 10000 },
  fashion_mnist: { train: 60000, test: 10000 },
  gaussian: { train: 1000, test: 1000 },
};

export interface SplitSizes {
  train: number | null;
  val: number | null;
  test: number | null;
}

/** Sizes of a source's splits once `val` (a fraction of its train part) is carved out. */
export function sourceSizes(source: SourceSpec, val: number): SplitSizes {
  const defaults = DEFAULT_COUNTS[source.kind];
  if (!defaults) return { train: null, val: null, test: null };
  const count = (name: 'train' | 'test') => (typeof source.params[name] === 'number' ? (source.params[name] as number) : defaults[name]);
  const held = Math.round(count('train') * val);
  return { train: count('train') - held, val: held, test: count('test') };
}

/** Sizes after a transform chain: only `limit` (at most n examples per split) is accounted for. */
export function chainSizes(sizes: SplitSizes, transforms: readonly TransformSpec[]): SplitSizes {
  return transforms.reduce((current, transform) => {
    const n = transform.params.n;
    if (transform.kind !== 'limit' || typeof n !== 'number') return current;
    return { train: capped(current.train, n), val: capped(current.val, n), test: capped(current.test, n) };
  }, sizes);
}

export function capped(size: number | null, limit: number | null): number | null {
  if (limit === null) return size;
  return size === null ? limit : Math.min(size, limit);
}
