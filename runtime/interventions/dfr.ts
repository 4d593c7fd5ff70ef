// Deep feature reweighting (`reweight last_layer on S balanced_by [..]`), as the paper's code does it:
// freeze the features, standardise them on S, and refit the last layer as L2-regularised logistic
// regression (sklearn's C, default 0.001) on S with sample weights that give every group the same total
// weight, solved to convergence. Optionally, as in the DFR paper (Kirichenko et al.), average the fit over
// several group-balanced subsets, and choose C from candidates by worst-group accuracy on a held-out set.
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../data/dataset.ts';
import { groupIds } from '../data/groups.ts';
import { argmax, worstGroupAccuracy } from '../eval/metrics.ts';
import type { ShiftlabModel } from '../models/model.ts';
import { cloneModel } from '../models/persist.ts';
import { extractFeatures } from '../models/predict.ts';
import { subset } from '../data/ops.ts';
import { Random } from '../random.ts';
import { fitLogistic } from './logistic.ts';

export interface DfrOptions {
  /** Attributes whose combinations form the groups, e.g. ['label', 'aligned']. */
  balancedBy: string[];
  /** Candidate values of C; more than one selects by worst-group accuracy on `selection`. */
  C: number[];
  /** 0: one fit on all of S with group-balanced weights (the paper's code). k > 0: the mean of k fits,
   *  each on a random subset holding the smallest group's size from every group (the DFR paper). */
  subsets: number;
  seed: number;
  /** Held-out data that picks C when there are several candidates. */
  selection?: Dataset;
}

export interface DfrReport {
  C: number;
  /** Worst-group accuracy on the selection set per candidate C (empty without a sweep). */
  candidates: { C: number; worstGroupAccuracy: number }[];
  converged: boolean;
  iterations: number;
}

/**
 * Weight N/(G·|g|) per example of group g (scikit-learn's 'balanced' convention): every group gets the same
 * total, N/G, and the weights average 1, so C means what it means in sklearn.
 */
export function groupBalancedWeights(ids: Int32Array, count: number): Float64Array {
  const sizes = new Float64Array(count);
  for (const id of ids) sizes[id]++;
  return Float64Array.from(ids, (id) => ids.length / (count * sizes[id]));
}

/** A head in the space of the raw (unstandardised) features: logits = f·kernel + bias. */
export interface DfrHead {
  kernel: Float32Array;
  bias: Float32Array;
  converged: boolean;
  iterations: number;
}

/** Indices of a random subset with `min group size` examples of every group, without replacement. */
function balancedSubset(ids: Int32Array, count: number, random: Random): Int32Array {
  const members: number[][] = Array.from({ length: count }, () => []);
  ids.forEach((id, i) => members[id].push(i));
  const take = Math.min(...members.map((m) => m.length));
  const chosen: number[] = [];
  for (const group of members) {
    for (let k = 0; k < take; k++) {
      const j = k + random.int(group.length - k);
      [group[k], group[j]] = [group[j], group[k]];
      chosen.push(group[k]);
    }
  }
  return Int32Array.from(chosen.sort((a, b) => a - b));
}

function rows(features: Float32Array, dim: number, indices: Int32Array): Float32Array {
  const out = new Float32Array(indices.length * dim);
  indices.forEach((row, k) => out.set(features.subarray(row * dim, (row + 1) * dim), k * dim));
  return out;
}

/** Fits the head on standardised `features` (size × dim, rows of `data`) and folds the standardisation back in. */
export function fitDfrHead(
  features: Float32Array,
  dim: number,
  data: Dataset,
  C: number,
  options: Pick<DfrOptions, 'balancedBy' | 'subsets' | 'seed'>,
): DfrHead {
  const groups = groupIds(data, options.balancedBy);
  const { mean, scale } = standardisation(features, dim);
  const standardised = Float32Array.from(features, (value, k) => (value - mean[k % dim]) / scale[k % dim]);
  const fits =
    options.subsets > 0
      ? Array.from({ length: options.subsets }, (_, s) => {
          const subset = balancedSubset(groups.ids, groups.count, new Random(options.seed + 7919 * s));
          const labels = Int32Array.from(subset, (i) => data.y[i]);
          return fitLogistic(
            {
              x: rows(standardised, dim, subset),
              dim,
              labels,
              classes: data.classes,
              weights: new Float64Array(subset.length).fill(1),
            },
            { C },
          );
        })
      : [
          fitLogistic(
            {
              x: standardised,
              dim,
              labels: data.y,
              classes: data.classes,
              weights: groupBalancedWeights(groups.ids, groups.count),
            },
            { C },
          ),
        ];
  const classes = data.classes;
  const kernel = new Float32Array(dim * classes);
  const bias = new Float32Array(classes);
  for (const fit of fits) {
    // ((f − μ)/σ)·W + b = f·(W/σ) + (b − (μ/σ)·W), averaged over the fits.
    for (let c = 0; c < classes; c++) bias[c] += fit.bias[c] / fits.length;
    for (let d = 0; d < dim; d++) {
      for (let c = 0; c < classes; c++) {
        const w = fit.kernel[d * classes + c] / fits.length;
        kernel[d * classes + c] += w / scale[d];
        bias[c] -= (mean[d] / scale[d]) * w;
      }
    }
  }
  return {
    kernel,
    bias,
    converged: fits.every((f) => f.converged),
    iterations: Math.max(...fits.map((f) => f.iterations)),
  };
}

function headWorstGroup(
  head: DfrHead,
  features: Float32Array,
  dim: number,
  data: Dataset,
  balancedBy: string[],
): number {
  const classes = data.classes;
  const logits = new Float32Array(data.size * classes);
  for (let i = 0; i < data.size; i++) {
    for (let c = 0; c < classes; c++) {
      let z = head.bias[c];
      for (let d = 0; d < dim; d++) z += features[i * dim + d] * head.kernel[d * classes + c];
      logits[i * classes + c] = z;
    }
  }
  return worstGroupAccuracy(argmax(logits, classes), data.y, groupIds(data, balancedBy).ids);
}

/** A copy of `model` with its head refitted on `data` by DFR (the features, and `model`, are unchanged). */
export async function reweightLastLayer(
  model: ShiftlabModel,
  data: Dataset,
  options: DfrOptions,
): Promise<{ model: ShiftlabModel; report: DfrReport }> {
  if (options.C.length === 0) throw new RangeError('DFR needs at least one value of C');
  if (options.C.length > 1 && !options.selection)
    throw new RangeError('choosing C among several needs a selection set');
  const dim = model.featureDim;
  const features = extractFeatures(model, data);
  const selectionFeatures = options.C.length > 1 ? extractFeatures(model, options.selection!) : null;
  let best: { C: number; head: DfrHead; score: number } | null = null;
  const candidates: DfrReport['candidates'] = [];
  for (const C of options.C) {
    const head = fitDfrHead(features, dim, data, C, options);
    const score = selectionFeatures
      ? headWorstGroup(head, selectionFeatures, dim, options.selection!, options.balancedBy)
      : 0;
    if (selectionFeatures) candidates.push({ C, worstGroupAccuracy: score });
    // Ties keep the earlier candidate, so the order the study lists them in decides.
    if (!best || score > best.score) best = { C, head, score };
  }
  const { head, C } = best!;
  const copy = await cloneModel(model);
  const refitted = copy.withHead(copy.freshHead(data.classes, 0), data.classes);
  for (const weight of copy.head.weights) weight.dispose();
  tf.tidy(() => refitted.head.setWeights([tf.tensor2d(head.kernel, [dim, data.classes]), tf.tensor1d(head.bias)]));
  return { model: refitted, report: { C, candidates, converged: head.converged, iterations: head.iterations } };
}

/**
 * DFR with the C sweep on held-out data drawn from S itself, as the DFR paper tunes on half of its
 * reweighting set: with several candidates, each is fitted on a random half of S and scored by worst-group
 * accuracy on the other half; the winner is refitted on all of S. One candidate is one fit on all of S.
 */
export async function reweightWithHeldOutC(
  model: ShiftlabModel,
  data: Dataset,
  options: Omit<DfrOptions, 'selection'>,
): Promise<{ model: ShiftlabModel; report: DfrReport }> {
  if (options.C.length <= 1) return reweightLastLayer(model, data, options);
  const order = new Random(options.seed).permutation(data.size);
  const half = Math.floor(data.size / 2);
  const fitPart = subset(
    data,
    Array.from(order.subarray(0, half)).sort((a, b) => a - b),
  );
  const heldOut = subset(
    data,
    Array.from(order.subarray(half)).sort((a, b) => a - b),
  );
  const tuning = await reweightLastLayer(model, fitPart, { ...options, selection: heldOut });
  tuning.model.dispose();
  const final = await reweightLastLayer(model, data, { ...options, C: [tuning.report.C] });
  return { model: final.model, report: { ...final.report, candidates: tuning.report.candidates } };
}

/** Per-column mean and standard deviation (ddof 0, as sklearn's StandardScaler); a constant column keeps scale 1. */
function standardisation(features: Float32Array, dim: number): { mean: Float64Array; scale: Float64Array } {
  const size = features.length / dim;
  const mean = new Float64Array(dim);
  const scale = new Float64Array(dim);
  for (let i = 0; i < size; i++) for (let d = 0; d < dim; d++) mean[d] += features[i * dim + d] / size;
  for (let i = 0; i < size; i++)
    for (let d = 0; d < dim; d++) scale[d] += (features[i * dim + d] - mean[d]) ** 2 / size;
  for (let d = 0; d < dim; d++) scale[d] = scale[d] > 1e-12 ? Math.sqrt(scale[d]) : 1;
  return { mean, scale };
}
