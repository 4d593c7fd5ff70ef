// `support-split`: divide the shifted distribution's test split into in-support and out-of-support parts
// with a cross-fitted domain classifier built from the study's own model spec and recipe.
import * as tf from '@tensorflow/tfjs-core';
import { join } from 'node:path';
import type { TrainDomainClassifier } from '../../analysis/domain-classifier.ts';
import { supportSplit as splitBySupport } from '../../analysis/support-split.ts';
import type { Dataset } from '../../data/dataset.ts';
import type { JobContext } from '../../exec/handler.ts';
import { createModel } from '../../models/create.ts';
import type { ModelSpec } from '../../models/spec.ts';
import type { RecipeSpec } from '../../train/recipe.ts';
import { train } from '../../train/train.ts';
import type { SupportSplitJobSpec } from '../specs.ts';
import { depDir, readSplit, specOf, writeJson, type PartsFile } from './artifacts.ts';

const SCORE_BATCH = 256;

export async function supportSplit(ctx: JobContext): Promise<void> {
  const spec = specOf<SupportSplitJobSpec>(ctx);
  const reference = await readSplit(depDir(ctx, 0), 'test');
  const shifted = await readSplit(depDir(ctx, 1), 'test');
  let fold = 0;
  const split = await splitBySupport(reference, shifted, {
    folds: spec.folds,
    threshold: spec.threshold,
    seed: spec.seed,
    trainClassifier: modelDomainClassifier(spec.classifier, spec.recipe, () => ctx.progress({ epoch: ++fold, epochs: spec.folds })),
  });
  const parts: PartsFile = {
    inSupport: Array.from(split.inSupport),
    outOfSupport: Array.from(split.outOfSupport),
    auroc: split.auroc,
    auc: split.auc,
    temperature: Number.isFinite(split.temperature) ? split.temperature : null,
    folds: spec.folds,
    threshold: spec.threshold,
  };
  await writeJson(join(ctx.outDir, 'parts.json'), parts);
}

/** A domain classifier of the study's architecture: two classes (0 reference, 1 shifted), log-odds as score. */
function modelDomainClassifier(model: ModelSpec, recipe: RecipeSpec, onTrained: () => void): TrainDomainClassifier {
  return async (data, seed) => {
    const classifier = await createModel(model, data.shape, 2, seed);
    try {
      await train(classifier, { ...data, classes: 2 }, recipe, { seed });
    } catch (error) {
      classifier.dispose();
      throw error;
    }
    onTrained();
    return {
      score: async (examples: Dataset) => logOdds(examples, (x) => classifier.logits(x)),
      dispose: () => classifier.dispose(),
    };
  };
}

/** logit₁ − logit₀ per example, batch by batch from the dataset's typed array. */
function logOdds(data: Dataset, logits: (x: tf.Tensor) => tf.Tensor2D): Float32Array {
  const stride = data.x.length / Math.max(1, data.size);
  const out = new Float32Array(data.size);
  for (let start = 0; start < data.size; start += SCORE_BATCH) {
    const end = Math.min(data.size, start + SCORE_BATCH);
    const scores = tf.tidy(() => {
      const x = tf.tensor(data.x.subarray(start * stride, end * stride), [end - start, ...data.shape]);
      const z = logits(x);
      return tf.sub(tf.slice(z, [0, 1], [-1, 1]), tf.slice(z, [0, 0], [-1, 1])).dataSync() as Float32Array;
    });
    out.set(scores, start);
  }
  return out;
}
