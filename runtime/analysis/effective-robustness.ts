// Effective robustness (ER): how far a model's shifted accuracy lies above the line that baseline models
// trace on a probit (or logit) scale. The formulas are the specification in PAPER.md, including the
// interval (a confidence interval of the regression mean, std with ddof 0) and the copies rule.
import type normalCdfFn from '@stdlib/stats-base-dists-normal-cdf';
import type normalQuantileFn from '@stdlib/stats-base-dists-normal-quantile';
import type tQuantileFn from '@stdlib/stats-base-dists-t-quantile';
import { createRequire } from 'node:module';

// The distributions are ~140 small @stdlib packages: loaded on the first number computed, not with every module
// that imports this one (reading cached results computes none).
interface Distributions {
  normalCdf: typeof normalCdfFn;
  normalQuantile: typeof normalQuantileFn;
  tQuantile: typeof tQuantileFn;
}
let loaded: Distributions | undefined;
function distributions(): Distributions {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  loaded = {
    normalCdf: require('@stdlib/stats-base-dists-normal-cdf') as typeof normalCdfFn,
    normalQuantile: require('@stdlib/stats-base-dists-normal-quantile') as typeof normalQuantileFn,
    tQuantile: require('@stdlib/stats-base-dists-t-quantile') as typeof tQuantileFn,
  };
  return loaded;
}

export type Scale = 'probit' | 'logit';

/** Multiplier of std/√n for copies of one model (PAPER.md: mean ± 1.96·std/√n). */
export const COPIES_Z = 1.96;

/** Maps an accuracy in (0, 1) to the scale where baseline points lie on a line. */
export function toScale(scale: Scale, accuracy: number): number {
  return scale === 'probit' ? distributions().normalQuantile(accuracy, 0, 1) : Math.log(accuracy / (1 - accuracy));
}

/** Inverse of {@link toScale}. */
export function fromScale(scale: Scale, value: number): number {
  return scale === 'probit' ? distributions().normalCdf(value, 0, 1) : 1 / (1 + Math.exp(-value));
}

/** An accuracy measured on `count` examples. */
export interface Accuracy {
  value: number;
  count: number;
}

/**
 * Accuracies of exactly 0 or 1 have no probit; PAPER.md clips them to [1/(2N), 1 − 1/(2N)] for N evaluated
 * examples. `clipped` says the value was moved, so results can flag it.
 */
export function clipAccuracy({ value, count }: Accuracy): { value: number; clipped: boolean } {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`accuracy ${value} is outside [0, 1]`);
  if (!(count >= 1)) throw new RangeError(`accuracy needs at least one evaluated example (got ${count})`);
  const low = 1 / (2 * count);
  const clippedValue = Math.min(Math.max(value, low), 1 - low);
  return { value: clippedValue, clipped: clippedValue !== value };
}

/** A model's (reference, shifted) accuracy pair, already clipped into (0, 1). */
export interface AccuracyPoint {
  x: number;
  y: number;
}

/** OLS fit of T(y) = slope·T(x) + intercept over baseline points, with what the interval needs. */
export interface BaselineFit {
  scale: Scale;
  slope: number;
  intercept: number;
  r2: number;
  n: number;
  /** Confidence level of intervals, e.g. 0.95. */
  interval: number;
  /** mean of T(x) over the baseline points. */
  meanX: number;
  /** S = n·std(T(x))² (ddof 0). */
  sxx: number;
  /** s_e = std(T(y))·sqrt((1 − r²)(n − 1)/(n − 2)). */
  residualScale: number;
  /** t_{n−2} quantile at 1 − p/2 with p = 1 − interval. */
  t: number;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Population standard deviation (ddof 0), as PAPER.md specifies everywhere. */
export function stdDdof0(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(mean(values.map((v) => (v - m) ** 2)));
}

/** Fits the baseline line; needs n ≥ 3 (the checker rejects smaller baselines before a run). */
export function fitBaseline(
  points: readonly AccuracyPoint[],
  options: { scale?: Scale; interval?: number } = {},
): BaselineFit {
  const scale = options.scale ?? 'probit';
  const interval = options.interval ?? 0.95;
  const n = points.length;
  if (n < 3) throw new RangeError(`an effective-robustness fit needs at least 3 baseline points (got ${n})`);
  if (!(interval > 0 && interval < 1)) throw new RangeError(`interval must be in (0, 1) (got ${interval})`);
  const tx = points.map((p) => toScale(scale, p.x));
  const ty = points.map((p) => toScale(scale, p.y));
  if (![...tx, ...ty].every(Number.isFinite))
    throw new RangeError('baseline accuracies must lie strictly inside (0, 1); clip them first');
  const meanX = mean(tx);
  const meanY = mean(ty);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (tx[i] - meanX) * (ty[i] - meanY);
    sxx += (tx[i] - meanX) ** 2;
    syy += (ty[i] - meanY) ** 2;
  }
  // Relative, since identical points can leave a rounding residue that would fit a meaningless line.
  if (sxx <= 1e-12 * n * Math.max(1, meanX * meanX))
    throw new RangeError('baseline points all share one reference accuracy; no line can be fitted');
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  // r² as the squared correlation; a flat shifted accuracy (syy = 0) is fitted exactly.
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  const residualScale = stdDdof0(ty) * Math.sqrt(Math.max(0, 1 - r2) * ((n - 1) / (n - 2)));
  const p = 1 - interval;
  const t = distributions().tQuantile(1 - p / 2, n - 2);
  // S = n·std(T(x))² is the centred sum of squares.
  return { scale, slope, intercept, r2, n, interval, meanX, sxx, residualScale, t };
}

/** The line's predicted shifted accuracy at a reference accuracy, with its confidence bounds. */
export interface Prediction {
  predicted: number;
  lower: number;
  upper: number;
}

export function predictShifted(fit: BaselineFit, x: number): Prediction {
  const tx = toScale(fit.scale, x);
  const centre = fit.slope * tx + fit.intercept;
  const h = fit.t * fit.residualScale * Math.sqrt(1 / fit.n + (tx - fit.meanX) ** 2 / fit.sxx);
  return {
    predicted: fromScale(fit.scale, centre),
    lower: fromScale(fit.scale, centre - h),
    upper: fromScale(fit.scale, centre + h),
  };
}

/** ER of one model and its interval [y − upper, y − lower]. */
export interface EffectiveRobustness {
  er: number;
  low: number;
  high: number;
  /** The line's prediction at the model's reference accuracy. */
  predicted: number;
}

export function effectiveRobustness(fit: BaselineFit, point: AccuracyPoint): EffectiveRobustness {
  const { predicted, lower, upper } = predictShifted(fit, point.x);
  return { er: point.y - predicted, low: point.y - upper, high: point.y - lower, predicted };
}

/** Mean of repeated copies (seeds) with the interval mean ± 1.96·std/√n (ddof 0). */
export interface CopiesSummary {
  mean: number;
  low: number;
  high: number;
  n: number;
}

export function aggregateCopies(values: readonly number[]): CopiesSummary {
  if (values.length === 0) throw new RangeError('no copies to aggregate');
  const m = mean(values);
  const half = (COPIES_Z * stdDdof0(values)) / Math.sqrt(values.length);
  return { mean: m, low: m - half, high: m + half, n: values.length };
}
