// `predict`: class probabilities of a model on one split (or one support-split part of it).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobContext } from '../../exec/handler.ts';
import { predict as predictProbabilities } from '../../models/predict.ts';
import type { PredictJobSpec } from '../specs.ts';
import {
  depDir,
  divergedIn,
  DIVERGED_FILE,
  readEvaluatedData,
  readModel,
  specOf,
  writeJson,
  type PredictionsHeader,
} from './artifacts.ts';

export async function predict(ctx: JobContext): Promise<void> {
  const spec = specOf<PredictJobSpec>(ctx);
  const diverged = await divergedIn(depDir(ctx, 0));
  if (diverged) return writeJson(join(ctx.outDir, DIVERGED_FILE), diverged);
  const data = await readEvaluatedData(depDir(ctx, 1), spec.split, spec.part, spec.part ? depDir(ctx, 2) : undefined);
  const model = await readModel(depDir(ctx, 0));
  try {
    if (model.inputShape.join('x') !== data.shape.join('x') || model.classes !== data.classes) {
      throw new Error(
        `shape mismatch: the model takes [${model.inputShape}] inputs with ${model.classes} classes, the data has [${data.shape}] with ${data.classes}`,
      );
    }
    const probabilities = predictProbabilities(model, data);
    await writeFile(
      join(ctx.outDir, 'predictions.bin'),
      new Uint8Array(probabilities.buffer, probabilities.byteOffset, probabilities.byteLength),
    );
    const header: PredictionsHeader = { size: data.size, classes: model.classes };
    await writeJson(join(ctx.outDir, 'predictions.json'), header);
  } finally {
    model.dispose();
  }
}
