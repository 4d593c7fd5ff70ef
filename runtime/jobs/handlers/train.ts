// `train`: one copy of a baseline or arm (or one sweep candidate): from scratch, or from an init model by
// a fine-tuning strategy; saves the requested epochs as checkpoints and the final weights as the model.
import { join } from 'node:path';
import type { Dataset } from '../../data/dataset.ts';
import { applyTransform } from '../../data/transforms/index.ts';
import type { JobContext } from '../../exec/handler.ts';
import { createModel, resolveModelPaths } from '../../models/create.ts';
import type { ShiftlabModel } from '../../models/model.ts';
import { saveModel } from '../../models/persist.ts';
import { deriveSeed } from '../../random.ts';
import type { RecipeSpec } from '../../train/recipe.ts';
import { misclassified } from '../../train/jtt.ts';
import { prepareObjective } from '../../train/objectives/index.ts';
import { fineTune } from '../../train/strategies.ts';
import { train as trainModel, TrainingError, type TrainOptions } from '../../train/train.ts';
import { isSweepCandidate, MODEL_DIR, type TrainJobSpec } from '../specs.ts';
import {
  depDir,
  DIVERGED_FILE,
  epochReporter,
  readJson,
  readModel,
  readSplit,
  specOf,
  studyDir,
  writeJson,
  type DivergedFile,
} from './artifacts.ts';
import type { SweepChoice } from './sweep-select.ts';

export async function train(ctx: JobContext): Promise<void> {
  try {
    await trainCopy(ctx);
  } catch (error) {
    // A diverging sweep candidate is an outcome of the sweep (it loses), not a failure of the study.
    if (!(error instanceof TrainingError) || !isSweepCandidate(specOf<TrainJobSpec>(ctx), ctx.study.seed)) throw error;
    const marker: DivergedFile = { reason: error.message };
    await writeJson(join(ctx.outDir, DIVERGED_FILE), marker);
  }
}

async function trainCopy(ctx: JobContext): Promise<void> {
  const written = specOf<TrainJobSpec>(ctx);
  // A `load "model.json"` path is relative to the study's folder.
  const spec = { ...written, model: resolveModelPaths(written.model, studyDir(ctx)) };
  const data = trainingData(await readSplit(depDir(ctx, 0), 'train'), spec);
  const recipe = await recipeFor(ctx, spec);
  const init = spec.strategy === 'scratch' ? null : await initModel(ctx, spec);
  try {
    // JTT's identification run trains like the copy itself (model, init, strategy), with ERM and its own seed.
    const identify = async (epochs: number) => {
      const seed = deriveSeed(spec.seed, 'identify');
      const model = await fit(spec, init, data, { ...recipe, epochs }, { seed });
      try {
        return misclassified(model, data);
      } finally {
        model.dispose();
      }
    };
    const objective = spec.objective ? await prepareObjective(spec.objective, data, { identify }) : undefined;
    const model = await fit(spec, init, data, recipe, {
      seed: spec.seed,
      objective,
      checkpoints: spec.checkpoints,
      onCheckpoint: (epoch: number, m: ShiftlabModel) =>
        saveModel(m, join(ctx.outDir, 'checkpoints', `epoch-${epoch}`)),
      onEpoch: epochReporter(ctx, recipe.epochs),
    });
    try {
      await saveModel(model, join(ctx.outDir, MODEL_DIR));
    } finally {
      model.dispose();
    }
  } finally {
    init?.dispose();
  }
}

async function initModel(ctx: JobContext, spec: TrainJobSpec): Promise<ShiftlabModel> {
  if (!spec.hasInit) throw new Error(`strategy ${spec.strategy} needs an init model`);
  return readModel(depDir(ctx, 1));
}

/** A model trained from scratch or from `init` by the spec's strategy (the init itself is never changed). */
async function fit(
  spec: TrainJobSpec,
  init: ShiftlabModel | null,
  data: Dataset,
  recipe: RecipeSpec,
  options: Omit<TrainOptions, 'trainable'>,
): Promise<ShiftlabModel> {
  if (init === null || spec.strategy === 'scratch') {
    const model = await createModel(spec.model, data.shape, data.classes, options.seed);
    try {
      await trainModel(model, data, recipe, options);
    } catch (error) {
      model.dispose();
      throw error;
    }
    return model;
  }
  return (await fineTune(init, data, recipe, { ...options, strategy: spec.strategy, head: spec.head })).model;
}

/**
 * The copy's training set: the distribution's train split, group-balanced and then limited when asked —
 * `limit N` is the size of the set trained on, so balancing comes first (a tiny de-biased set).
 */
export function trainingData(data: Dataset, spec: Pick<TrainJobSpec, 'limit' | 'balancedBy' | 'seed'>): Dataset {
  let result = data;
  if (spec.balancedBy !== null) {
    result = applyTransform(
      result,
      { kind: 'balanced_by', params: { attributes: spec.balancedBy } },
      deriveSeed(spec.seed, 'balanced_by'),
      'train',
    );
  }
  if (spec.limit !== null)
    result = applyTransform(
      result,
      { kind: 'limit', params: { n: spec.limit } },
      deriveSeed(spec.seed, 'limit'),
      'train',
    );
  return result;
}

/** The recipe, with the swept field set to the value the sweep-select dependency chose. */
async function recipeFor(ctx: JobContext, spec: TrainJobSpec): Promise<RecipeSpec> {
  if (spec.sweepParam === null) return spec.recipe;
  const choice = await readJson<SweepChoice>(join(depDir(ctx, spec.hasInit ? 2 : 1), 'choice.json'));
  return { ...spec.recipe, [spec.sweepParam]: choice.value };
}
