// `pretrain`: train a model from scratch on a broad distribution, to be reused as an initialisation.
import { join } from 'node:path';
import type { JobContext } from '../../exec/handler.ts';
import { createModel, resolveModelPaths } from '../../models/create.ts';
import { saveModel } from '../../models/persist.ts';
import { train } from '../../train/train.ts';
import { MODEL_DIR, type PretrainJobSpec } from '../specs.ts';
import { depDir, epochReporter, readSplit, specOf, studyDir } from './artifacts.ts';

export async function pretrain(ctx: JobContext): Promise<void> {
  const spec = specOf<PretrainJobSpec>(ctx);
  const data = await readSplit(depDir(ctx, 0), 'train');
  const model = await createModel(resolveModelPaths(spec.model, studyDir(ctx)), data.shape, data.classes, spec.seed);
  try {
    await train(model, data, spec.recipe, { seed: spec.seed, onEpoch: epochReporter(ctx, spec.recipe.epochs) });
    await saveModel(model, join(ctx.outDir, MODEL_DIR));
  } finally {
    model.dispose();
  }
}
