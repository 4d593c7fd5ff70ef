// Shared by the model, training and evaluation tests: the cpu backend (always available, exact) and
// tiny synthetic datasets.
import '@tensorflow/tfjs-backend-cpu';
// tfjs-layers' node bundle registers every gradient (tfjs-core's ESM register_all_gradients cannot load in Node).
import '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../../runtime/data/dataset.ts';
import { Random } from '../../runtime/random.ts';

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** `size` examples of `shape`, uniform in [0, 1), labels cycling through the classes. */
export function randomDataset(size: number, shape: number[], classes: number, seed = 1): Dataset {
  const random = new Random(seed);
  const width = shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(size * width);
  for (let i = 0; i < x.length; i++) x[i] = random.next();
  const y = new Int32Array(size);
  for (let i = 0; i < size; i++) y[i] = i % classes;
  return { shape, classes, size, x, y, attributes: {} };
}

/** Two well-separated Gaussian blobs per class in `dim` dimensions (learnable by logistic regression). */
export function blobs(size: number, dim: number, classes: number, seed = 1): Dataset {
  const random = new Random(seed);
  const x = new Float32Array(size * dim);
  const y = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    y[i] = i % classes;
    for (let d = 0; d < dim; d++) x[i * dim + d] = random.normal() * 0.5 + (d % classes === y[i] ? 2 : 0);
  }
  return { shape: [dim], classes, size, x, y, attributes: {} };
}

export function weightsOf(variables: tf.Variable[]): Float32Array[] {
  return variables.map((v) => Float32Array.from(v.dataSync()));
}

/**
 * Two inputs: a noisy core feature that predicts the label, and a clean spurious feature that agrees
 * with the label with probability `spurious` (attribute `aligned`).
 */
export function spuriousToy(size: number, spurious: number, seed: number): Dataset {
  const random = new Random(seed);
  const x = new Float32Array(size * 2);
  const y = new Int32Array(size);
  const aligned = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    y[i] = i % 2;
    aligned[i] = random.chance(spurious) ? 1 : 0;
    const colour = aligned[i] ? y[i] : 1 - y[i];
    x[i * 2] = 2 * y[i] - 1 + random.normal() * 1.2;
    x[i * 2 + 1] = 2 * (2 * colour - 1) + random.normal() * 0.1;
  }
  return { shape: [2], classes: 2, size, x, y, attributes: { aligned } };
}
