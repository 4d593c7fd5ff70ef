// Turns measured metrics of baseline checkpoints and arm copies into a comparison's results for one shift,
// by the paper's code's rules (PAPER.md): copies of a model are averaged first, then clipped, then placed
// against the baseline line, whose regression interval is the ER's interval. Baseline copies of one
// checkpoint are one point (their mean). The older rules — one baseline point per copy, and mean ± 1.96·
// std/√n of per-copy ERs as the interval — stay available as explicit options. Clipping flags go all the way
// to the results so tables and the report can say which points were moved.
import type { ArmShiftResult, BaselineResult, CopyResult, PlotPoint } from '../results.ts';
import {
  aggregateCopies,
  clipAccuracy,
  effectiveRobustness,
  fitBaseline,
  type Accuracy,
  type BaselineFit,
  type Scale,
} from './effective-robustness.ts';

/** A model's metric on the reference and on the shifted distribution, with evaluated example counts. */
export interface MeasuredModel {
  label: string;
  reference: Accuracy;
  shifted: Accuracy;
  /** Baseline copies sharing a point (e.g. `scratch.epoch4`) are averaged into that one point. */
  point?: string;
}

/** How baseline models become points of the line: the mean of each checkpoint's copies, or every copy. */
export type BaselinePoints = 'mean_of_copies' | 'per_copy';
/** The ER interval of an arm with copies: the paper's (regression interval at the copies' mean accuracies)
 *  or the copies' spread (mean ± 1.96·std/√n of per-copy ERs, which ignores the line's uncertainty). */
export type ArmInterval = 'regression' | 'copies';

export interface AnalysisOptions {
  scale?: Scale;
  interval?: number;
  baselinePoints?: BaselinePoints;
  armInterval?: ArmInterval;
}

export function clipPoint(model: MeasuredModel): PlotPoint {
  const x = clipAccuracy(model.reference);
  const y = clipAccuracy(model.shifted);
  return { x: x.value, y: y.value, label: model.label, clipped: x.clipped || y.clipped };
}

/** The mean of copies' metrics, measured on the smallest of their evaluated sets (for clipping). */
function meanAccuracy(values: readonly Accuracy[]): Accuracy {
  return {
    value: values.reduce((sum, a) => sum + a.value, 0) / values.length,
    count: Math.min(...values.map((a) => a.count)),
  };
}

function meanModel(label: string, copies: readonly MeasuredModel[]): MeasuredModel {
  return {
    label,
    reference: meanAccuracy(copies.map((c) => c.reference)),
    shifted: meanAccuracy(copies.map((c) => c.shifted)),
  };
}

/** The baseline's points: one per `point` key (the mean of its copies), or one per model. */
export function baselinePoints(baseline: readonly MeasuredModel[], rule: BaselinePoints): MeasuredModel[] {
  if (rule === 'per_copy') return [...baseline];
  const byPoint = new Map<string, MeasuredModel[]>();
  for (const model of baseline) {
    const key = model.point ?? model.label;
    byPoint.set(key, [...(byPoint.get(key) ?? []), model]);
  }
  return [...byPoint].map(([key, copies]) => (copies.length === 1 ? copies[0] : meanModel(key, copies)));
}

export interface ShiftAnalysis {
  fit: BaselineFit;
  baseline: BaselineResult;
  arms: Record<string, ArmShiftResult>;
}

/** Fits the baseline for one shift and scores every arm (each arm given as its copies). */
export function analyseShift(
  baseline: readonly MeasuredModel[],
  arms: Record<string, readonly MeasuredModel[]>,
  options: AnalysisOptions = {},
): ShiftAnalysis {
  const rule = options.baselinePoints ?? 'mean_of_copies';
  const points = baselinePoints(baseline, rule).map(clipPoint);
  const fit = fitBaseline(points, options);
  const armResults: Record<string, ArmShiftResult> = {};
  for (const [arm, copies] of Object.entries(arms))
    armResults[arm] = scoreArm(fit, copies, arm, options.armInterval ?? 'regression');
  return {
    fit,
    baseline: {
      points,
      fit: { slope: fit.slope, intercept: fit.intercept, r2: fit.r2, n: fit.n },
      pointRule: rule,
      clippedPoints: points.filter((p) => p.clipped).length,
    },
    arms: armResults,
  };
}

function scoreArm(fit: BaselineFit, models: readonly MeasuredModel[], arm: string, rule: ArmInterval): ArmShiftResult {
  if (models.length === 0) throw new RangeError(`arm ${arm} has no evaluated copies`);
  const copies: CopyResult[] = models.map((model) => {
    const point = clipPoint(model);
    const { er, low, high } = effectiveRobustness(fit, point);
    return { ...point, er, low, high };
  });
  const xs = aggregateCopies(copies.map((c) => c.x));
  const ys = aggregateCopies(copies.map((c) => c.y));
  const spread = { xLow: xs.low, xHigh: xs.high, yLow: ys.low, yHigh: ys.high, copies };
  if (rule === 'copies' && copies.length > 1) {
    const ers = aggregateCopies(copies.map((c) => c.er));
    return {
      er: ers.mean,
      low: ers.low,
      high: ers.high,
      intervalKind: 'copies',
      x: xs.mean,
      y: ys.mean,
      clipped: copies.some((c) => c.clipped),
      ...spread,
    };
  }
  // The paper's rule: average the copies' accuracies, clip the means, and read ER and its regression
  // interval off the line there.
  const mean = clipPoint(meanModel(arm, models));
  const { er, low, high } = effectiveRobustness(fit, mean);
  return {
    er,
    low,
    high,
    intervalKind: 'regression',
    x: mean.x,
    y: mean.y,
    clipped: mean.clipped || copies.some((c) => c.clipped),
    ...spread,
  };
}
