// What a training step minimises. ERM: the mean cross-entropy. The group-robust objectives SubpopBench ranks
// highest for worst-group accuracy with group labels:
// - group reweighting: each example's loss weighted by N/(G·|g|), so every group counts equally;
// - GroupDRO (Sagawa et al. 2020): online exponentiated-gradient weights q over groups, q_g ← q_g·exp(η·(ℓ_g +
//   C/√n_g)), renormalised, and the step minimises Σ_g q_g·ℓ_g of the batch's group mean losses;
// - per-example weights, which JTT's second stage uses (Liu et al. 2021: the identification run's errors
//   weighted λ, the rest 1).
import * as tf from '@tensorflow/tfjs-core';

export type TrainingObjective =
  | { kind: 'erm' }
  /** `weights[i]` multiplies example i's loss; the batch loss is Σ wᵢℓᵢ / Σ wᵢ over the batch's examples. */
  | { kind: 'weighted'; weights: Float32Array }
  | { kind: 'group_dro'; groups: Int32Array; count: number; eta: number; adjustment: number };

/** The state an objective keeps across steps (GroupDRO's q), and the batch loss it builds. */
export class ObjectiveState {
  /** GroupDRO's group weights q (uniform at the start). */
  readonly q: Float64Array | null;
  private readonly adjustments: Float64Array | null;

  constructor(readonly objective: TrainingObjective) {
    if (objective.kind !== 'group_dro') {
      this.q = null;
      this.adjustments = null;
      return;
    }
    if (!(objective.eta > 0)) throw new RangeError(`GroupDRO needs a step size eta > 0 (got ${objective.eta})`);
    const sizes = new Float64Array(objective.count);
    for (const g of objective.groups) sizes[g]++;
    this.q = new Float64Array(objective.count).fill(1 / objective.count);
    // Sagawa et al.'s group adjustment C/√n_g favours small groups, whose training loss understates their risk.
    this.adjustments = Float64Array.from(sizes, (n) => (n > 0 ? objective.adjustment / Math.sqrt(n) : 0));
  }

  /** The scalar to minimise for one batch of one-hot `labels`, `logits` and the batch's example indices. */
  batchLoss(labels: tf.Tensor, logits: tf.Tensor, labelSmoothing: number, indices: Int32Array): tf.Scalar {
    const objective = this.objective;
    if (objective.kind === 'erm')
      return tf.losses.softmaxCrossEntropy(labels, logits, undefined, labelSmoothing) as tf.Scalar;
    const losses = tf.losses.softmaxCrossEntropy(
      labels,
      logits,
      undefined,
      labelSmoothing,
      tf.Reduction.NONE,
    ) as tf.Tensor1D;
    switch (objective.kind) {
      case 'weighted': {
        const w = Float32Array.from(indices, (i) => objective.weights[i]);
        const total = w.reduce((a, b) => a + b, 0);
        return tf.div(tf.sum(tf.mul(losses, tf.tensor1d(w))), total) as tf.Scalar;
      }
      case 'group_dro': {
        const batchGroups = Int32Array.from(indices, (i) => objective.groups[i]);
        const counts = new Float32Array(objective.count);
        for (const g of batchGroups) counts[g]++;
        const membership = tf.cast(tf.oneHot(tf.tensor1d(batchGroups, 'int32'), objective.count), 'float32');
        const sums = tf.reshape(tf.matMul(tf.reshape(losses, [1, -1]), membership), [-1]);
        const groupLosses = tf.div(sums, tf.tensor1d(counts.map((c) => Math.max(c, 1))));
        // q moves on the observed (detached) losses of the groups present in this batch.
        const observed = groupLosses.dataSync();
        const q = this.q!;
        let total = 0;
        for (let g = 0; g < objective.count; g++) {
          if (counts[g] > 0) q[g] *= Math.exp(objective.eta * (observed[g] + this.adjustments![g]));
          total += q[g];
        }
        for (let g = 0; g < objective.count; g++) q[g] /= total;
        return tf.sum(tf.mul(groupLosses, tf.tensor1d(Float32Array.from(q)))) as tf.Scalar;
      }
    }
  }
}
