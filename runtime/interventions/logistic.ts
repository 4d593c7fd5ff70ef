// Multinomial logistic regression with sample weights and an L2 penalty, fitted full-batch. Convex, so
// the result depends only on the data, weights and penalty (up to the solver's tolerance), not on a seed.
import * as tf from '@tensorflow/tfjs-core';
import { makeOptimizer } from '../train/optimizer.ts';
import { recipe } from '../train/recipe.ts';

export interface LogisticFit {
  /** features × classes, row-major. */
  kernel: Float32Array;
  bias: Float32Array;
}

export interface LogisticOptions {
  /** Penalty (l2/2)·‖W‖² added to the weighted mean loss (the bias is not penalised). */
  l2: number;
  /** Full-batch Adam steps. */
  steps: number;
}

/** Minimises Σᵢ wᵢ·CE(xᵢ W + b, yᵢ) / Σᵢ wᵢ + (l2/2)·‖W‖², starting from zero. */
export function fitLogistic(x: Float32Array, dim: number, labels: Int32Array, classes: number, weights: Float32Array, options: LogisticOptions): LogisticFit {
  const size = labels.length;
  const [kernel, bias] = tf.tidy(() => [tf.variable(tf.zeros([dim, classes])), tf.variable(tf.zeros([classes]))]);
  const optimizer = makeOptimizer(recipe({ optimizer: 'adam' }));
  const total = weights.reduce((a, b) => a + b, 0);
  try {
    const [xs, targets, w] = tf.tidy(() => [
      tf.tensor2d(x, [size, dim]),
      tf.oneHot(tf.tensor1d(labels, 'int32'), classes),
      tf.tensor1d(weights.map((v) => v / total)),
    ]);
    for (let step = 0; step < options.steps; step++) {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => {
          const losses = tf.losses.softmaxCrossEntropy(targets, tf.add(tf.matMul(xs, kernel), bias), undefined, 0, tf.Reduction.NONE);
          return tf.add(tf.sum(tf.mul(losses, w)), tf.mul(options.l2 / 2, tf.sum(tf.square(kernel)))) as tf.Scalar;
        }, [kernel, bias]);
        // A learning rate that decays from 0.1 lets Adam settle on the optimum of this convex problem.
        optimizer.step([kernel, bias], [grads[kernel.name], grads[bias.name]], 0.1 / Math.sqrt(1 + step / 10));
      });
    }
    tf.dispose([xs, targets, w]);
    return { kernel: Float32Array.from(kernel.dataSync()), bias: Float32Array.from(bias.dataSync()) };
  } finally {
    optimizer.dispose();
    tf.dispose([kernel, bias]);
  }
}
