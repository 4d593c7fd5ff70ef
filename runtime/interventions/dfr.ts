// Deep feature reweighting (`reweight last_layer on S balanced_by [..]`): keep the features frozen,
// standardise them on S, and refit the last layer as L2-regularised logistic regression on S with sample
// weights that give every group the same total weight — so a bias the features carry stops paying off.
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../data/dataset.ts';
import { groupIds } from '../data/groups.ts';
import { ShiftlabModel, newHead } from '../models/model.ts';
import { cloneModel } from '../models/persist.ts';
import { extractFeatures } from '../models/predict.ts';
import { fitLogistic } from './logistic.ts';

export interface DfrOptions {
  /** Attributes whose combinations form the groups, e.g. ['label', 'aligned']. */
  balancedBy: string[];
  /** L2 penalty on the standardised-feature weights (default 1e-3). */
  l2?: number;
  /** Solver steps (default 500). */
  steps?: number;
}

/** Weight 1/(groups·|g|) per example of group g: every group sums to 1/groups, all to 1. */
export function groupBalancedWeights(ids: Int32Array, count: number): Float32Array {
  const sizes = new Float64Array(count);
  for (const id of ids) sizes[id]++;
  return Float32Array.from(ids, (id) => 1 / (count * sizes[id]));
}

/** A copy of `model` with its head refitted on `data` by DFR (the features, and `model`, are unchanged). */
export async function reweightLastLayer(model: ShiftlabModel, data: Dataset, options: DfrOptions): Promise<ShiftlabModel> {
  const dim = model.featureDim;
  const features = extractFeatures(model, data);
  const { mean, scale } = standardise(features, dim);
  const groups = groupIds(data, options.balancedBy);
  const fit = fitLogistic(features, dim, data.y, data.classes, groupBalancedWeights(groups.ids, groups.count), {
    l2: options.l2 ?? 1e-3,
    steps: options.steps ?? 500,
  });
  // Fold the standardisation into the head: ((f − μ)/σ)·W + b = f·(W/σ) + (b − (μ/σ)·W).
  const kernel = new Float32Array(fit.kernel.length);
  const bias = Float32Array.from(fit.bias);
  for (let d = 0; d < dim; d++) {
    for (let c = 0; c < data.classes; c++) {
      kernel[d * data.classes + c] = fit.kernel[d * data.classes + c] / scale[d];
      bias[c] -= (mean[d] / scale[d]) * fit.kernel[d * data.classes + c];
    }
  }
  const copy = await cloneModel(model);
  const refitted = copy.withHead(newHead(data.classes, 0), data.classes);
  for (const weight of copy.head.weights) weight.dispose();
  tf.tidy(() => refitted.head.setWeights([tf.tensor2d(kernel, [dim, data.classes]), tf.tensor1d(bias)]));
  return refitted;
}

/**
 * Standardises `features` (size × dim) in place to mean 0 and standard deviation 1 per column; a
 * constant column keeps scale 1. Returns the mean and scale used.
 */
function standardise(features: Float32Array, dim: number): { mean: Float64Array; scale: Float64Array } {
  const size = features.length / dim;
  const mean = new Float64Array(dim);
  const scale = new Float64Array(dim);
  for (let i = 0; i < size; i++) for (let d = 0; d < dim; d++) mean[d] += features[i * dim + d] / size;
  for (let i = 0; i < size; i++) for (let d = 0; d < dim; d++) scale[d] += (features[i * dim + d] - mean[d]) ** 2 / size;
  for (let d = 0; d < dim; d++) scale[d] = scale[d] > 1e-12 ? Math.sqrt(scale[d]) : 1;
  for (let i = 0; i < size; i++) for (let d = 0; d < dim; d++) features[i * dim + d] = (features[i * dim + d] - mean[d]) / scale[d];
  return { mean, scale };
}
