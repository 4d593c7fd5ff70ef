// Turns measured metrics of baseline checkpoints and arm copies into a comparison's results for one shift:
// clip, fit the baseline line, then ER per copy and per arm. Keeps the clipping flags all the way to the
// results so a report can say which points were moved.
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
}

export function clipPoint(model: MeasuredModel): PlotPoint {
  const x = clipAccuracy(model.reference);
  const y = clipAccuracy(model.shifted);
  return { x: x.value, y: y.value, label: model.label, clipped: x.clipped || y.clipped };
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
  options: { scale?: Scale; interval?: number } = {},
): ShiftAnalysis {
  const points = baseline.map(clipPoint);
  const fit = fitBaseline(points, options);
  const armResults: Record<string, ArmShiftResult> = {};
  for (const [arm, copies] of Object.entries(arms)) armResults[arm] = scoreArm(fit, copies, arm);
  return {
    fit,
    baseline: { points, fit: { slope: fit.slope, intercept: fit.intercept, r2: fit.r2, n: fit.n } },
    arms: armResults,
  };
}

function scoreArm(fit: BaselineFit, models: readonly MeasuredModel[], arm: string): ArmShiftResult {
  if (models.length === 0) throw new RangeError(`arm ${arm} has no evaluated copies`);
  const copies: CopyResult[] = models.map((model) => {
    const point = clipPoint(model);
    const { er, low, high } = effectiveRobustness(fit, point);
    return { ...point, er, low, high };
  });
  const xs = aggregateCopies(copies.map((c) => c.x));
  const ys = aggregateCopies(copies.map((c) => c.y));
  const clipped = copies.some((c) => c.clipped);
  const spread = { x: xs.mean, y: ys.mean, xLow: xs.low, xHigh: xs.high, yLow: ys.low, yHigh: ys.high, copies, clipped };
  if (copies.length === 1) {
    const [only] = copies;
    return { er: only.er, low: only.low, high: only.high, intervalKind: 'regression', ...spread };
  }
  const ers = aggregateCopies(copies.map((c) => c.er));
  return { er: ers.mean, low: ers.low, high: ers.high, intervalKind: 'copies', ...spread };
}
