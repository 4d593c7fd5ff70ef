// Effective robustness on the in-support and out-of-support parts of a split at every swept ε, as the paper's
// code reports it: each model is predicted once on the whole shifted set, and each ε's parts are index
// subsets of those predictions (no model is re-run per ε). Per ε and part, the baseline line is refitted
// through its checkpoints' metric on that part and every arm is scored against it by the comparison's rules.
import type { Dataset } from '../data/dataset.ts';
import { subset } from '../data/ops.ts';
import { evaluate } from '../eval/evaluate.ts';
import type { Metric } from '../eval/metrics.ts';
import type { SupportSweepPart, SupportSweepRow } from '../results.ts';
import { analyseShift, type AnalysisOptions, type MeasuredModel } from './comparison.ts';
import type { Accuracy } from './effective-robustness.ts';
import { partsAt } from './support-parts.ts';

/** One model as the sweep reads it: its reference metric and its class probabilities on the whole shifted set. */
export interface SweptModel {
  reference: Accuracy;
  /** shifted.size × shifted.classes probabilities, in the shifted set's order. */
  probabilities: Float32Array;
  /** Baseline copies of one checkpoint share a point (as in `MeasuredModel`). */
  point?: string;
}

export interface EpsilonSweepInput {
  shifted: Dataset;
  /** log r of every shifted example (the support split's), same order as `shifted`. */
  logDensityRatio: ArrayLike<number>;
  epsilons: readonly number[];
  metric: Metric;
  /** Group attributes for worst-group accuracy (empty: the data's default). */
  groups: readonly string[];
  baseline: readonly SweptModel[];
  /** Each arm's copies. */
  arms: readonly (readonly SweptModel[])[];
}

/** One row per ε, ascending; arms are keyed by their position in `input.arms` (results name them). */
export function epsilonSweep(input: EpsilonSweepInput, options: AnalysisOptions = {}): SupportSweepRow[] {
  const { shifted } = input;
  for (const model of [...input.baseline, ...input.arms.flat()]) {
    if (model.probabilities.length !== shifted.size * shifted.classes)
      throw new RangeError(
        `predictions of ${model.probabilities.length / shifted.classes} examples for a shifted set of ${shifted.size}`,
      );
  }
  const logRatio = Float64Array.from(input.logDensityRatio);
  return [...new Set(input.epsilons)]
    .sort((a, b) => a - b)
    .map((epsilon) => {
      const parts = partsAt(logRatio, epsilon);
      return {
        epsilon,
        inSupport: parts.inSupport.length,
        outOfSupport: parts.outOfSupport.length,
        in_support: partResult(input, parts.inSupport, options),
        out_of_support: partResult(input, parts.outOfSupport, options),
      };
    });
}

function partResult(input: EpsilonSweepInput, indices: Int32Array, options: AnalysisOptions): SupportSweepPart | null {
  if (indices.length === 0) return null;
  const data = subset(input.shifted, indices);
  const groups = input.groups.length > 0 ? [...input.groups] : undefined;
  const measured = (model: SweptModel, label: string): MeasuredModel => ({
    label,
    reference: model.reference,
    shifted: evaluate(input.metric, rows(model.probabilities, indices, data.classes), data, groups),
    ...(model.point === undefined ? {} : { point: model.point }),
  });
  const arms = Object.fromEntries(
    input.arms.map((copies, arm) => [String(arm), copies.map((copy, i) => measured(copy, `arm ${arm} copy ${i}`))]),
  );
  const analysis = analyseShift(
    input.baseline.map((model, i) => measured(model, `baseline ${i}`)),
    arms,
    options,
  );
  return {
    size: indices.length,
    r2: analysis.fit.r2,
    n: analysis.fit.n,
    clippedPoints: analysis.baseline.clippedPoints ?? 0,
    arms: Object.fromEntries(
      Object.entries(analysis.arms).map(([arm, { er, low, high, x, y, clipped }]) => [
        arm,
        { er, low, high, x, y, clipped },
      ]),
    ),
  };
}

/** The probability rows at `indices`. */
function rows(probabilities: Float32Array, indices: Int32Array, classes: number): Float32Array {
  const out = new Float32Array(indices.length * classes);
  indices.forEach((from, i) => out.set(probabilities.subarray(from * classes, (from + 1) * classes), i * classes));
  return out;
}
