// Splits a shifted set into the part the reference distribution could plausibly produce (in-support) and
// the part it could not (out-of-support), as PAPER.md describes: a domain classifier (reference vs shifted)
// scored by K-fold cross-fitting, one calibration temperature, and the density ratio
// r = p/(1−p)·n_ref/n_shift ≈ p_shift(x)/p_ref(x); out-of-support when r ≥ 1/ε.
import type { Dataset } from '../data/dataset.ts';
import { subset } from '../data/ops.ts';
import { deriveSeed, Random } from '../random.ts';
import { smallDomainClassifier, type TrainDomainClassifier } from './domain-classifier.ts';
import { areaUnderRoc } from './roc.ts';
import { fitTemperature } from './temperature.ts';

export interface SupportSplitOptions {
  /** Number of cross-fitting folds (≥ 2). */
  folds: number;
  /** ε: an example is out-of-support when its density ratio is ≥ 1/ε. */
  threshold: number;
  seed: number;
  /** Defaults to logistic regression on the raw inputs (`smallDomainClassifier()`). */
  trainClassifier?: TrainDomainClassifier;
}

export interface SupportSplit {
  /** Indices into the shifted dataset, ascending. */
  inSupport: Int32Array;
  outOfSupport: Int32Array;
  /** Held-out AUROC of the domain classifier as 2·AUC − 1, and the raw AUC. */
  auroc: number;
  auc: number;
  /** Calibration temperature T: calibrated log-odds = held-out log-odds / T. */
  temperature: number;
  /** log r for every shifted example (same order as the shifted dataset). */
  logDensityRatio: Float64Array;
}

export async function supportSplit(reference: Dataset, shifted: Dataset, options: SupportSplitOptions): Promise<SupportSplit> {
  const { folds, threshold, seed } = options;
  const trainClassifier = options.trainClassifier ?? smallDomainClassifier();
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`folds must be an integer ≥ 2 (got ${folds})`);
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`threshold ε must be in (0, 1] (got ${threshold})`);
  if (reference.shape.join('x') !== shifted.shape.join('x')) {
    throw new RangeError(`reference [${reference.shape}] and shifted [${shifted.shape}] examples differ in shape`);
  }
  const pool = domainPool(reference, shifted);
  const foldOf = stratifiedFolds(pool.y, folds, deriveSeed(seed, 'support-split', 'folds'));
  const heldOut = new Float64Array(pool.size);
  for (let fold = 0; fold < folds; fold++) {
    const inFold = indicesWhere(foldOf, (f) => f === fold);
    const outOfFold = indicesWhere(foldOf, (f) => f !== fold);
    const classifier = await trainClassifier(subset(pool, outOfFold), deriveSeed(seed, 'support-split', 'classifier', fold));
    try {
      const scores = await classifier.score(subset(pool, inFold));
      inFold.forEach((index, i) => (heldOut[index] = scores[i]));
    } finally {
      classifier.dispose();
    }
  }
  const isShifted = Array.from(pool.y, (label) => label === 1);
  const temperature = fitTemperature(heldOut, isShifted);
  const auc = areaUnderRoc(heldOut, isShifted);
  // log r = z/T + log(n_ref/n_shift), kept in log space so a confident classifier cannot overflow.
  const prior = Math.log(reference.size / shifted.size);
  const logDensityRatio = Float64Array.from(heldOut.subarray(reference.size), (z) => z / temperature + prior);
  const cut = -Math.log(threshold);
  const inSupport: number[] = [];
  const outOfSupport: number[] = [];
  logDensityRatio.forEach((logRatio, i) => (logRatio >= cut ? outOfSupport : inSupport).push(i));
  return {
    inSupport: Int32Array.from(inSupport),
    outOfSupport: Int32Array.from(outOfSupport),
    auroc: 2 * auc - 1,
    auc,
    temperature,
    logDensityRatio,
  };
}

/** Reference examples first (label 0), then shifted ones (label 1). */
function domainPool(reference: Dataset, shifted: Dataset): Dataset {
  const x = new Float32Array(reference.x.length + shifted.x.length);
  x.set(reference.x);
  x.set(shifted.x, reference.x.length);
  const y = new Int32Array(reference.size + shifted.size).fill(1, reference.size);
  return { shape: reference.shape, classes: 2, size: y.length, x, y, attributes: {} };
}

/** Assigns folds round-robin over a seeded permutation of each domain, so every fold holds both. */
function stratifiedFolds(labels: Int32Array, folds: number, seed: number): Int32Array {
  const random = new Random(seed);
  const foldOf = new Int32Array(labels.length);
  for (const label of [0, 1]) {
    const members = indicesWhere(labels, (l) => l === label);
    random.permutation(members.length).forEach((position, rank) => (foldOf[members[position]] = rank % folds));
  }
  return foldOf;
}

function indicesWhere(values: Int32Array, keep: (value: number) => boolean): Int32Array {
  const out: number[] = [];
  values.forEach((value, i) => keep(value) && out.push(i));
  return Int32Array.from(out);
}
