// The metrics a `compare` can use, from predicted probabilities (size × classes) and true labels.
import { areaUnderRoc } from '../analysis/roc.ts';

/** The one list of metric names (the checker's `metric` and `sweep … select` accept these). */
export const METRICS = ['accuracy', 'balanced_accuracy', 'worst_group_accuracy', 'macro_f1', 'auroc'] as const;
export type Metric = (typeof METRICS)[number];

/** The most probable class of each row of `scores` (size × classes). */
export function argmax(scores: Float32Array, classes: number): Int32Array {
  const rows = scores.length / classes;
  const best = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let top = 0;
    for (let c = 1; c < classes; c++) if (scores[i * classes + c] > scores[i * classes + top]) top = c;
    best[i] = top;
  }
  return best;
}

export function accuracy(predicted: Int32Array, labels: Int32Array): number {
  requireSameLength(predicted, labels);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / labels.length;
}

/** Mean per-class recall over the classes that occur in `labels`. */
export function balancedAccuracy(predicted: Int32Array, labels: Int32Array): number {
  return worstAndMeanGroupAccuracy(predicted, labels, labels).mean;
}

/** The lowest accuracy over the groups that occur (`groups[i]` = group id of example i). */
export function worstGroupAccuracy(predicted: Int32Array, labels: Int32Array, groups: Int32Array): number {
  return worstAndMeanGroupAccuracy(predicted, labels, groups).worst;
}

/** A metric's value and N, the number of examples it was computed over: the worst group's own size for
 *  worst-group accuracy (PAPER.md clips an accuracy to [1/(2N), 1 − 1/(2N)] with this N). */
export interface MetricValue {
  value: number;
  count: number;
}

/** Macro F1 over the labels present in the truth or the predictions (as scikit-learn's default). */
export function macroF1(predicted: Int32Array, labels: Int32Array): number {
  requireSameLength(predicted, labels);
  const truePositive = new Map<number, number>();
  const predictedCount = new Map<number, number>();
  const actualCount = new Map<number, number>();
  const bump = (map: Map<number, number>, key: number) => map.set(key, (map.get(key) ?? 0) + 1);
  for (let i = 0; i < labels.length; i++) {
    bump(predictedCount, predicted[i]);
    bump(actualCount, labels[i]);
    if (predicted[i] === labels[i]) bump(truePositive, labels[i]);
  }
  const present = new Set([...predictedCount.keys(), ...actualCount.keys()]);
  let sum = 0;
  for (const label of present) {
    const tp = truePositive.get(label) ?? 0;
    const denominator = (predictedCount.get(label) ?? 0) + (actualCount.get(label) ?? 0);
    sum += denominator === 0 ? 0 : (2 * tp) / denominator;
  }
  return sum / present.size;
}

/**
 * AUROC rescaled to [-1, 1] as the paper reports it: 2·AUC − 1, AUC being the probability that a random
 * positive (label 1) scores above a random negative, ties counting one half.
 */
export function aurocGini(scores: ArrayLike<number>, labels: Int32Array): number {
  requireSameLength(scores, labels);
  return (
    2 *
      areaUnderRoc(
        scores,
        Array.from(labels, (label) => label === 1),
      ) -
    1
  );
}

/**
 * One metric of predicted probabilities `probabilities` (size × classes) against `labels`.
 * `groups` (group id per example) is needed by worst_group_accuracy only.
 */
export function computeMetric(
  metric: Metric,
  probabilities: Float32Array,
  labels: Int32Array,
  classes: number,
  groups?: Int32Array,
): MetricValue {
  if (probabilities.length !== labels.length * classes) {
    throw new Error(
      `predictions hold ${probabilities.length} values, expected ${labels.length} examples × ${classes} classes`,
    );
  }
  if (labels.length === 0) throw new Error(`${metric} of an empty dataset`);
  if (metric === 'auroc') {
    if (classes !== 2) throw new Error(`auroc needs a binary task, this one has ${classes} classes`);
    return {
      value: aurocGini(
        probabilities.filter((_, i) => i % 2 === 1),
        labels,
      ),
      count: labels.length,
    };
  }
  const predicted = argmax(probabilities, classes);
  const whole = (value: number) => ({ value, count: labels.length });
  switch (metric) {
    case 'accuracy':
      return whole(accuracy(predicted, labels));
    case 'balanced_accuracy':
      return whole(balancedAccuracy(predicted, labels));
    case 'macro_f1':
      return whole(macroF1(predicted, labels));
    case 'worst_group_accuracy': {
      if (!groups) throw new Error('worst_group_accuracy needs groups');
      const { worst, worstCount } = worstAndMeanGroupAccuracy(predicted, labels, groups);
      return { value: worst, count: worstCount };
    }
  }
}

/** `worstCount` is the worst group's size (the smallest such group when several tie). */
function worstAndMeanGroupAccuracy(
  predicted: Int32Array,
  labels: Int32Array,
  groups: Int32Array,
): { worst: number; worstCount: number; mean: number } {
  requireSameLength(predicted, labels);
  requireSameLength(groups, labels);
  const correct = new Map<number, number>();
  const total = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) {
    total.set(groups[i], (total.get(groups[i]) ?? 0) + 1);
    if (predicted[i] === labels[i]) correct.set(groups[i], (correct.get(groups[i]) ?? 0) + 1);
  }
  const accuracies = [...total].map(([group, count]) => ({ value: (correct.get(group) ?? 0) / count, count }));
  const worst = accuracies.reduce((a, b) => (b.value < a.value || (b.value === a.value && b.count < a.count) ? b : a));
  return {
    worst: worst.value,
    worstCount: worst.count,
    mean: accuracies.reduce((sum, a) => sum + a.value, 0) / accuracies.length,
  };
}

function requireSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} predictions for ${b.length} labels`);
}
