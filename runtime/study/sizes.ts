// Example counts known before anything is loaded, for `shiftlab plan`'s cost estimate (training samples ×
// epochs). Estimates only: file sources (idx, csv) are unknown until read, and sampling transforms
// (class_rates, balanced_by, resample) are taken as keeping every example. What a source holds and what a
// transform caps come from their definitions (`counts`, `sizes`).
import { sourceDef, sourceParams } from '../data/sources/index.ts';
import type { SourceSpec } from '../data/sources/index.ts';
import type { TransformSpec } from '../data/specs.ts';
import { transformDef } from '../data/transforms/index.ts';

export interface SplitSizes {
  train: number | null;
  val: number | null;
  test: number | null;
}

/** Sizes of a source's splits once `val` (a fraction of its train part) is carved out. */
export function sourceSizes(source: SourceSpec, val: number): SplitSizes {
  const counts = sourceDef(source.kind).counts?.(sourceParams(source));
  if (!counts) return { train: null, val: null, test: null };
  const held = Math.round(counts.train * val);
  return { train: counts.train - held, val: held, test: counts.test };
}

/** Sizes after a transform chain: a transform whose definition declares a `cap` bounds every split. */
export function chainSizes(sizes: SplitSizes, transforms: readonly TransformSpec[]): SplitSizes {
  return transforms.reduce((current, transform) => {
    const cap = transformDef(transform.kind).sizes?.cap;
    const n = cap === undefined ? undefined : transform.params[cap];
    if (typeof n !== 'number') return current;
    return { train: capped(current.train, n), val: capped(current.val, n), test: capped(current.test, n) };
  }, sizes);
}

export function capped(size: number | null, limit: number | null): number | null {
  if (limit === null) return size;
  return size === null ? limit : Math.min(size, limit);
}
