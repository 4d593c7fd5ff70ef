// The training loop: seeded shuffles, batches copied out of the dataset's Float32Array (tf.slice on
// wasm copies the whole source tensor per call), one tidy per step so an epoch leaks no tensors, and a
// loud stop on a non-finite loss instead of training on garbage.
import * as tf from '@tensorflow/tfjs-core';
import { augmentBatch } from '../data/augment.ts';
import type { Dataset } from '../data/dataset.ts';
import type { ShiftlabModel } from '../models/model.ts';
import { Random, deriveSeed } from '../random.ts';
import { ObjectiveState, type TrainingObjective } from './objective.ts';
import { clipByGlobalNorm, makeOptimizer } from './optimizer.ts';
import { learningRateAt, type RecipeSpec } from './recipe.ts';

export interface TrainOptions {
  seed: number;
  /** `head` freezes the feature extractor (linear probing); default `all`. */
  trainable?: 'all' | 'head';
  /** Epochs (1-based) after which `onCheckpoint` is called. */
  checkpoints?: number[];
  onCheckpoint?(epoch: number, model: ShiftlabModel): void | Promise<void>;
  /** Called after every epoch with its mean training loss. */
  onEpoch?(epoch: number, loss: number): void | Promise<void>;
  /** What each step minimises (default ERM); indices into `data` pick weights and groups. */
  objective?: TrainingObjective;
}

export interface TrainResult {
  /** Mean training loss of each epoch. */
  losses: number[];
}

export class TrainingError extends Error {
  constructor(
    message: string,
    readonly epoch: number,
    readonly batch: number,
  ) {
    super(message);
    this.name = 'TrainingError';
  }
}

/** Trains `model` in place on `data` following `recipe`. */
export async function train(
  model: ShiftlabModel,
  data: Dataset,
  recipe: RecipeSpec,
  options: TrainOptions,
): Promise<TrainResult> {
  checkFits(model, data);
  const variables = options.trainable === 'head' ? model.headVariables() : model.allVariables();
  const optimizer = makeOptimizer(recipe);
  const stride = data.shape.reduce((a, b) => a * b, 1);
  const batchesPerEpoch = Math.ceil(data.size / recipe.batch);
  const totalSteps = batchesPerEpoch * recipe.epochs;
  const warmupSteps = Math.round(recipe.warmup * batchesPerEpoch);
  const checkpoints = new Set(options.checkpoints ?? []);
  const objective = new ObjectiveState(options.objective ?? { kind: 'erm' });
  const losses: number[] = [];
  let step = 0;
  try {
    for (let epoch = 1; epoch <= recipe.epochs; epoch++) {
      const order = new Random(deriveSeed(options.seed, 'shuffle', epoch)).permutation(data.size);
      const augmentRandom = new Random(deriveSeed(options.seed, 'augment', epoch));
      let lossSum = 0;
      for (let batch = 0; batch < batchesPerEpoch; batch++) {
        const indices = order.subarray(batch * recipe.batch, Math.min(data.size, (batch + 1) * recipe.batch));
        const { x, y } = gatherBatch(data, indices, stride);
        // The dataset's `augment { .. }` settings, drawn afresh for every batch.
        const inputs = data.augmentation
          ? augmentBatch(data.augmentation, x, data.shape, indices.length, augmentRandom)
          : x;
        const lr = learningRateAt(recipe, step++, totalSteps, warmupSteps);
        const loss = tf.tidy(() => {
          const xs = tf.tensor(inputs, [indices.length, ...data.shape]);
          const labels = tf.oneHot(tf.tensor1d(y, 'int32'), data.classes);
          const { value, grads } = tf.variableGrads(
            () => objective.batchLoss(labels, model.logits(xs, true), recipe.label_smoothing, indices),
            variables,
          );
          const lossValue = value.dataSync()[0];
          if (!Number.isFinite(lossValue)) return lossValue;
          const gradients = clipByGlobalNorm(
            variables.map((v) => grads[v.name]),
            recipe.grad_clip,
          );
          optimizer.step(variables, gradients, lr);
          return lossValue;
        });
        if (!Number.isFinite(loss)) {
          throw new TrainingError(
            `training diverged: loss is ${loss} at epoch ${epoch}, batch ${batch + 1} (lr ${lr.toPrecision(3)}); try a smaller lr or grad_clip`,
            epoch,
            batch + 1,
          );
        }
        lossSum += loss * indices.length;
      }
      losses.push(lossSum / data.size);
      await options.onEpoch?.(epoch, lossSum / data.size);
      if (checkpoints.has(epoch)) await options.onCheckpoint?.(epoch, model);
    }
  } finally {
    optimizer.dispose();
  }
  return { losses };
}

function checkFits(model: ShiftlabModel, data: Dataset): void {
  const expected = model.inputShape;
  if (expected.length !== data.shape.length || expected.some((size, i) => size !== data.shape[i])) {
    throw new Error(
      `the model expects inputs of shape [${expected.join(', ')}] but the data has shape [${data.shape.join(', ')}]`,
    );
  }
  if (model.classes !== data.classes) {
    throw new Error(
      `the model has ${model.classes} classes but the data has ${data.classes}; fine-tune with a new head`,
    );
  }
  if (data.size === 0) throw new Error('cannot train on an empty dataset');
}

/** A fresh array per batch: backends may keep a reference to the array a tensor was made from. */
function gatherBatch(data: Dataset, indices: Int32Array, stride: number): { x: Float32Array; y: Int32Array } {
  const x = new Float32Array(indices.length * stride);
  const y = new Int32Array(indices.length);
  indices.forEach((index, k) => {
    x.set(data.x.subarray(index * stride, (index + 1) * stride), k * stride);
    y[k] = data.y[index];
  });
  return { x, y };
}
