// Domain classifiers for a support split. The default is logistic regression (or, with `hidden > 0`, a
// one-hidden-layer network) on the raw inputs, trained full-batch with Adam and an L2 penalty, from seeded
// weights. `modelDomainClassifier` builds one from a study's own model spec and recipe instead; both fit
// the same `TrainDomainClassifier` type.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's node bundle registers no gradients; the tfjs-layers bundle registers all of them.
import '@tensorflow/tfjs-layers';
import type { Dataset } from '../data/dataset.ts';
import { createModel } from '../models/create.ts';
import type { ShiftlabModel } from '../models/model.ts';
import type { ModelSpec } from '../models/spec.ts';
import { Random } from '../random.ts';
import type { RecipeSpec } from '../train/recipe.ts';
import { fineTune } from '../train/strategies.ts';
import { train } from '../train/train.ts';

/** A trained domain classifier. */
export interface DomainScorer {
  /** The log-odds that each example comes from the shifted distribution. */
  score(data: Dataset): Promise<Float32Array>;
  /** Frees the classifier's tensors. */
  dispose(): void;
}

/** Trains on a dataset whose label is the domain (1 = shifted, 0 = reference). */
export type TrainDomainClassifier = (train: Dataset, seed: number) => Promise<DomainScorer>;

export interface SmallClassifierOptions {
  /** Hidden units (ReLU); 0 gives logistic regression. */
  hidden?: number;
  steps?: number;
  learningRate?: number;
  /** L2 penalty on the weights; keeps the fit finite when the domains are separable. */
  l2?: number;
}

/** He-normal weights from the seeded generator, so a split is reproducible. */
function seededWeights(random: Random, rows: number, columns: number): tf.Variable {
  const scale = Math.sqrt(2 / rows);
  return tf.variable(
    tf.tensor2d(
      Float32Array.from({ length: rows * columns }, () => random.normal() * scale),
      [rows, columns],
    ),
  );
}

export function smallDomainClassifier(options: SmallClassifierOptions = {}): TrainDomainClassifier {
  const { hidden = 0, steps = 150, learningRate = 0.05, l2 = 1e-3 } = options;
  return async (train, seed) => {
    const features = train.x.length / train.size;
    const random = new Random(seed);
    const weights =
      hidden > 0
        ? [
            seededWeights(random, features, hidden),
            tf.variable(tf.zeros([hidden])),
            seededWeights(random, hidden, 1),
            tf.variable(tf.zeros([1])),
          ]
        : [tf.variable(tf.zeros([features, 1])), tf.variable(tf.zeros([1]))];
    const logitsOf = (x: tf.Tensor2D): tf.Tensor2D => {
      let h = x;
      for (let layer = 0; layer < weights.length; layer += 2) {
        h = tf.add(tf.matMul(h, weights[layer] as tf.Tensor2D), weights[layer + 1]);
        if (layer + 2 < weights.length) h = tf.relu(h);
      }
      return h;
    };
    const optimizer = tf.train.adam(learningRate);
    const x = tf.tensor2d(train.x, [train.size, features]);
    const y = tf.tensor2d(Float32Array.from(train.y), [train.size, 1]);
    for (let step = 0; step < steps; step++) {
      optimizer.minimize(() => {
        const logits = logitsOf(x);
        const loss = tf.mean(tf.sub(tf.softplus(logits), tf.mul(y, logits)));
        const penalty = tf.addN(weights.filter((_, i) => i % 2 === 0).map((w) => tf.sum(tf.square(w))));
        return tf.add(loss, tf.mul(l2, penalty)) as tf.Scalar;
      });
    }
    tf.dispose([x, y]);
    optimizer.dispose();
    return {
      async score(data) {
        const logits = tf.tidy(() => logitsOf(tf.tensor2d(data.x, [data.size, features])));
        const values = (await logits.data()) as Float32Array;
        logits.dispose();
        return values;
      },
      dispose: () => tf.dispose(weights),
    };
  };
}

/**
 * A domain classifier of the given architecture (two classes: 0 reference, 1 shifted) trained with `recipe`;
 * its score is logit₁ − logit₀. `onTrained` runs after each fit (e.g. to report progress per fold).
 */
export function modelDomainClassifier(
  model: ModelSpec,
  recipe: RecipeSpec,
  onTrained?: () => void,
): TrainDomainClassifier {
  return async (data, seed) => {
    const classifier = await createModel(model, data.shape, 2, seed);
    try {
      await train(classifier, { ...data, classes: 2 }, recipe, { seed });
    } catch (error) {
      classifier.dispose();
      throw error;
    }
    onTrained?.();
    return scorerOf(classifier);
  };
}

/**
 * A domain classifier fine-tuned from a pre-trained model (the paper's: a strong pre-trained network,
 * fine-tuned), with a new two-class head. `init` is not modified.
 */
export function fineTunedDomainClassifier(
  init: ShiftlabModel,
  recipe: RecipeSpec,
  onTrained?: () => void,
): TrainDomainClassifier {
  return async (data, seed) => {
    const { model } = await fineTune(init, { ...data, classes: 2 }, recipe, { seed, strategy: 'ft', head: 'new' });
    onTrained?.();
    return scorerOf(model);
  };
}

/** A trained two-class model as a domain scorer (logit₁ − logit₀); disposing it frees the model. */
function scorerOf(classifier: ShiftlabModel): DomainScorer {
  return { score: async (examples) => logOdds(classifier, examples), dispose: () => classifier.dispose() };
}

const SCORE_BATCH = 256;

/** logit₁ − logit₀ per example, batch by batch from the dataset's typed array (exact where softmax saturates). */
function logOdds(classifier: ShiftlabModel, data: Dataset): Float32Array {
  const stride = data.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(data.size);
  for (let start = 0; start < data.size; start += SCORE_BATCH) {
    const end = Math.min(data.size, start + SCORE_BATCH);
    const scores = tf.tidy(() => {
      const z = classifier.logits(
        tf.tensor(data.x.subarray(start * stride, end * stride), [end - start, ...data.shape]),
      );
      return tf.sub(tf.slice(z, [0, 1], [-1, 1]), tf.slice(z, [0, 0], [-1, 1])).dataSync() as Float32Array;
    });
    out.set(scores, start);
  }
  return out;
}
