// Training from a pre-trained initialisation: ft (all weights), lp (features frozen, head only) and
// lp_ft (probe first, then all weights). The initial model is never modified: strategies train a copy.
import type { Dataset } from '../data/dataset.ts';
import type { ShiftlabModel } from '../models/model.ts';
import { cloneModel } from '../models/persist.ts';
import { deriveSeed } from '../random.ts';
import type { RecipeSpec } from './recipe.ts';
import { train, type TrainOptions, type TrainResult } from './train.ts';

export type Strategy = 'ft' | 'lp' | 'lp_ft';

export interface FineTuneOptions extends Omit<TrainOptions, 'trainable'> {
  strategy: Strategy;
  /** `auto` (default): keep the initial head when its class count matches the data, else a new one. */
  head?: 'auto' | 'new' | 'keep';
}

/**
 * lp_ft splits the recipe's epochs: the first third (at least one epoch) trains the head alone, the rest
 * (at least one) trains all weights, each phase with its own optimiser and schedule. Probing first lets
 * a new head settle before its gradients reach, and distort, the pre-trained features. Epoch numbers
 * passed to `onEpoch`/`checkpoints` run on across the two phases.
 */
export function lpFtEpochs(epochs: number): { probe: number; finetune: number } {
  const probe = Math.max(1, Math.floor(epochs / 3));
  return { probe, finetune: Math.max(1, epochs - probe) };
}

export async function fineTune(
  init: ShiftlabModel,
  data: Dataset,
  recipe: RecipeSpec,
  options: FineTuneOptions,
): Promise<{ model: ShiftlabModel } & TrainResult> {
  const model = withHeadFor(await cloneModel(init), data.classes, options.head ?? 'auto', options.seed);
  const { strategy, head: _head, ...common } = options;
  if (strategy !== 'lp_ft') {
    const result = await train(model, data, recipe, { ...common, trainable: strategy === 'lp' ? 'head' : 'all' });
    return { model, ...result };
  }
  const { probe, finetune } = lpFtEpochs(recipe.epochs);
  const checkpoints = common.checkpoints ?? [];
  const first = await train(
    model,
    data,
    { ...recipe, epochs: probe },
    { ...common, trainable: 'head', seed: deriveSeed(options.seed, 'probe') },
  );
  const second = await train(
    model,
    data,
    { ...recipe, epochs: finetune },
    {
      ...common,
      trainable: 'all',
      checkpoints: checkpoints.map((epoch) => epoch - probe),
      onEpoch: common.onEpoch && ((epoch, loss) => common.onEpoch!(epoch + probe, loss)),
      onCheckpoint: common.onCheckpoint && ((epoch, m) => common.onCheckpoint!(epoch + probe, m)),
    },
  );
  return { model, losses: [...first.losses, ...second.losses] };
}

/** `model` itself, or `model` with a fresh head (the old head's weights freed). */
function withHeadFor(
  model: ShiftlabModel,
  classes: number,
  head: 'auto' | 'new' | 'keep',
  seed: number,
): ShiftlabModel {
  if (head === 'keep' && model.classes !== classes) {
    model.dispose();
    throw new Error(`head keep: the initial model has ${model.classes} classes but the data has ${classes}`);
  }
  if (head === 'keep' || (head === 'auto' && model.classes === classes)) return model;
  const replaced = model.withHead(model.freshHead(classes, deriveSeed(seed, 'head')), classes);
  for (const weight of model.head.weights) weight.dispose();
  return replaced;
}
