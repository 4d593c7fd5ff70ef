// Splits a shifted set into the part the reference distribution could plausibly produce (in-support) and
// the part it could not (out-of-support), as PAPER.md describes: a domain classifier (reference vs shifted)
// scored by K-fold cross-fitting, one calibration temperature, and the density ratio
// r = p/(1−p)·n_ref/n_shift ≈ p_shift(x)/p_ref(x); out-of-support when r ≥ 1/ε.
import type { Dataset } from '../data/dataset.ts';
import { subset } from '../data/ops.ts';
import { deriveSeed, Random } from '../random.ts';
import { smallDomainClassifier, type TrainDomainClassifier } from './domain-classifier.ts';
import { partsAt } from './support-parts.ts';
import { areaUnderRoc } from './roc.ts';
import { fitTemperature } from './temperature.ts';

export interface SupportSplitOptions {
  /** Number of cross-fitting folds (≥ 2). */
  folds: number;
  /** ε: an example is out-of-support when its density ratio is ≥ 1/ε. */
  threshold: number;
  seed: number;
  /** Defaults to logistic regression on the raw inputs (`smallDomainClassifier()`). Several candidates
   *  (e.g. one per learning rate) are each cross-fitted; the one with the best held-out AUROC is used. */
  trainClassifier?: TrainDomainClassifier | TrainDomainClassifier[];
  /** Further values of ε whose part sizes are reported (the paper's code sweeps ε). */
  thresholdSweep?: number[];
}

/** The part sizes a value of ε gives. */
export interface ThresholdPoint {
  threshold: number;
  inSupport: number;
  outOfSupport: number;
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
  /** Which classifier candidate was chosen, and each candidate's held-out AUROC (2·AUC − 1). */
  chosen: number;
  candidateAurocs: number[];
  /** Part sizes for `threshold` and every swept ε, in ascending order of ε. */
  sweep: ThresholdPoint[];
}

export async function supportSplit(
  reference: Dataset,
  shifted: Dataset,
  options: SupportSplitOptions,
): Promise<SupportSplit> {
  const { folds, threshold, seed } = options;
  const candidates = [options.trainClassifier ?? smallDomainClassifier()].flat();
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`folds must be an integer ≥ 2 (got ${folds})`);
  for (const epsilon of [threshold, ...(options.thresholdSweep ?? [])]) {
    if (!(epsilon > 0 && epsilon <= 1)) throw new RangeError(`threshold ε must be in (0, 1] (got ${epsilon})`);
  }
  if (reference.shape.join('x') !== shifted.shape.join('x')) {
    throw new RangeError(`reference [${reference.shape}] and shifted [${shifted.shape}] examples differ in shape`);
  }
  const pool = domainPool(reference, shifted);
  const foldOf = stratifiedFolds(pool.y, folds, deriveSeed(seed, 'support-split', 'folds'));
  const isShifted = Array.from(pool.y, (label) => label === 1);
  let best: { index: number; heldOut: Float64Array; auc: number } | null = null;
  const candidateAurocs: number[] = [];
  for (const [index, trainClassifier] of candidates.entries()) {
    const heldOut = await crossFittedScores(pool, foldOf, folds, trainClassifier, seed);
    const auc = areaUnderRoc(heldOut, isShifted);
    candidateAurocs.push(2 * auc - 1);
    // Ties keep the earlier candidate, so the order the study lists them in decides.
    if (!best || auc > best.auc) best = { index, heldOut, auc };
  }
  const { heldOut, auc, index: chosen } = best!;
  const temperature = fitTemperature(heldOut, isShifted);
  // log r = z/T + log(n_ref/n_shift), kept in log space so a confident classifier cannot overflow.
  const prior = Math.log(reference.size / shifted.size);
  const logDensityRatio = Float64Array.from(heldOut.subarray(reference.size), (z) => z / temperature + prior);
  const { inSupport, outOfSupport } = partsAt(logDensityRatio, threshold);
  const sweep = [...new Set([threshold, ...(options.thresholdSweep ?? [])])]
    .sort((a, b) => a - b)
    .map((epsilon) => {
      const parts = partsAt(logDensityRatio, epsilon);
      return { threshold: epsilon, inSupport: parts.inSupport.length, outOfSupport: parts.outOfSupport.length };
    });
  return {
    inSupport,
    outOfSupport,
    auroc: 2 * auc - 1,
    auc,
    temperature,
    logDensityRatio,
    chosen,
    candidateAurocs,
    sweep,
  };
}

/** Every example scored by a classifier trained on the other folds. */
async function crossFittedScores(
  pool: Dataset,
  foldOf: Int32Array,
  folds: number,
  trainClassifier: TrainDomainClassifier,
  seed: number,
): Promise<Float64Array> {
  const heldOut = new Float64Array(pool.size);
  for (let fold = 0; fold < folds; fold++) {
    const inFold = indicesWhere(foldOf, (f) => f === fold);
    const outOfFold = indicesWhere(foldOf, (f) => f !== fold);
    const classifier = await trainClassifier(
      subset(pool, outOfFold),
      deriveSeed(seed, 'support-split', 'classifier', fold),
    );
    try {
      const scores = await classifier.score(subset(pool, inFold));
      inFold.forEach((index, i) => (heldOut[index] = scores[i]));
    } finally {
      classifier.dispose();
    }
  }
  return heldOut;
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
