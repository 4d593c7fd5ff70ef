// The benchmark models and training loop on TF.js, shared by every TF.js benchmark so they all time the
// same thing: CNN = conv16(3x3, same)-pool-conv32(3x3, valid)-pool-dense64-dense10, MLP = 784-256-10,
// Adam, softmax cross-entropy, batch 128, batches as views of one Float32Array (on wasm, tf.slice of a
// big tensor copies the whole source per call).
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { makeOptimizer } from '../../runtime/train/optimizer.ts';
import { recipe } from '../../runtime/train/recipe.ts';
import type { MnistArrays } from '../mnist-idx.ts';

export type ModelName = 'cnn' | 'mlp';

export const BATCH = 128;
const PIXELS = 784;
const CLASSES = 10;

export function buildModel(name: ModelName): tfl.Sequential {
  const layers =
    name === 'cnn'
      ? [
          tfl.layers.conv2d({
            inputShape: [28, 28, 1],
            filters: 16,
            kernelSize: 3,
            padding: 'same',
            activation: 'relu',
          }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 64, activation: 'relu' }),
          tfl.layers.dense({ units: CLASSES }),
        ]
      : [
          tfl.layers.dense({ inputShape: [PIXELS], units: 256, activation: 'relu' }),
          tfl.layers.dense({ units: CLASSES }),
        ];
  return tfl.sequential({ layers });
}

/**
 * Multiply-adds ×2 of conv and dense layers; training = forward + backward (2× forward) minus the
 * first layer's input gradient, which is never computed.
 */
export function trainingMflop(model: tfl.Sequential): number {
  const perLayer = model.layers.map((layer) => {
    const weights = layer.getWeights()[0]?.size ?? 0; // kernel entries: in×out, or kh×kw×in×out
    if (layer.getClassName() === 'Dense') return 2 * weights;
    if (layer.getClassName() === 'Conv2D') {
      const [, height, width] = layer.outputShape as number[];
      return 2 * height * width * weights;
    }
    return 0;
  });
  const forward = perLayer.reduce((a, b) => a + b, 0);
  return (3 * forward - perLayer[0]) / 1e6;
}

export function makeBatch(data: MnistArrays, index: number, model: ModelName): { x: tf.Tensor; y: tf.Tensor } {
  const batches = Math.floor(data.count / BATCH);
  const start = (index % batches) * BATCH;
  const pixels = data.images.subarray(start * PIXELS, (start + BATCH) * PIXELS);
  const oneHot = new Float32Array(BATCH * CLASSES);
  for (let i = 0; i < BATCH; i++) oneHot[i * CLASSES + data.labels[start + i]] = 1;
  const shape = model === 'cnn' ? [BATCH, 28, 28, 1] : [BATCH, PIXELS];
  return { x: tf.tensor(pixels, shape), y: tf.tensor2d(oneHot, [BATCH, CLASSES]) };
}

/** Runs `steps` training steps and returns samples/s; the loss is read once at the end to sync. */
export function timeTraining(
  model: tfl.Sequential,
  optimizer: tf.Optimizer,
  data: MnistArrays,
  name: ModelName,
  steps: number,
  offset: number,
): number {
  const started = performance.now();
  let lastLoss = 0;
  for (let s = 0; s < steps; s++) {
    const { x, y } = makeBatch(data, offset + s, name);
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
      s === steps - 1,
    );
    if (loss) {
      lastLoss = loss.dataSync()[0];
      loss.dispose();
    }
    tf.dispose([x, y]);
  }
  const seconds = (performance.now() - started) / 1000;
  if (!Number.isFinite(lastLoss)) throw new Error(`training diverged (loss ${lastLoss})`);
  return (steps * BATCH) / seconds;
}

export function timeInference(model: tfl.Sequential, data: MnistArrays, name: ModelName, steps: number): number {
  const started = performance.now();
  for (let s = 0; s < steps; s++) {
    const { x, y } = makeBatch(data, s, name);
    const out = model.predict(x) as tf.Tensor;
    out.dataSync();
    tf.dispose([x, y, out]);
  }
  return (steps * BATCH) / ((performance.now() - started) / 1000);
}

/**
 * shiftlab's own Adam (runtime/train/optimizer.ts, which uses the fused ShiftlabAdamUpdate kernel where
 * it is registered) behind the one method of tf.Optimizer that timeTraining calls.
 */
export function shiftlabAdam(lr: number): tf.Optimizer {
  const adam = makeOptimizer(recipe({ optimizer: 'adam' }));
  const minimize = (loss: () => tf.Scalar, returnCost: boolean): tf.Scalar | null => {
    const { value, grads } = tf.variableGrads(loss);
    const variables = Object.keys(grads).map((name) => tf.engine().registeredVariables[name]);
    adam.step(
      variables,
      variables.map((variable) => grads[variable.name]),
      lr,
    );
    tf.dispose(grads);
    if (returnCost) return value;
    value.dispose();
    return null;
  };
  return { minimize, dispose: () => adam.dispose() } as unknown as tf.Optimizer;
}
