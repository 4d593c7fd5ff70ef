// Class probabilities for a whole dataset, computed batch by batch from the dataset's typed array.
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../data/dataset.ts';
import type { ShiftlabModel } from './model.ts';

/** Softmax probabilities, example-major: size × classes. */
export function predict(model: ShiftlabModel, data: Dataset, batch = 256): Float32Array {
  return mapBatches(data, batch, model.classes, (x) => tf.softmax(model.logits(x)));
}

/** Feature vectors, example-major: size × featureDim. */
export function extractFeatures(model: ShiftlabModel, data: Dataset, batch = 256): Float32Array {
  return mapBatches(data, batch, model.featureDim, (x) => model.features.apply(x) as tf.Tensor);
}

function mapBatches(data: Dataset, batch: number, width: number, f: (x: tf.Tensor) => tf.Tensor): Float32Array {
  const out = new Float32Array(data.size * width);
  const stride = data.shape.reduce((a, b) => a * b, 1);
  for (let start = 0; start < data.size; start += batch) {
    const count = Math.min(batch, data.size - start);
    const values = tf.tidy(() => {
      const x = tf.tensor(data.x.subarray(start * stride, (start + count) * stride), [count, ...data.shape]);
      return f(x).dataSync() as Float32Array;
    });
    out.set(values, start * width);
  }
  return out;
}
