// `support-split`: divide the shifted distribution's test split into in-support and out-of-support parts
// with a cross-fitted domain classifier built from the study's own model spec and recipe.
import { join } from 'node:path';
import { modelDomainClassifier } from '../../analysis/domain-classifier.ts';
import { supportSplit as splitBySupport } from '../../analysis/support-split.ts';
import type { JobContext } from '../../exec/handler.ts';
import type { SupportSplitJobSpec } from '../specs.ts';
import { resolveModelPaths } from '../../models/create.ts';
import { depDir, readSplit, specOf, studyDir, writeJson, type PartsFile } from './artifacts.ts';

export async function supportSplit(ctx: JobContext): Promise<void> {
  const spec = specOf<SupportSplitJobSpec>(ctx);
  const reference = await readSplit(depDir(ctx, 0), 'test');
  const shifted = await readSplit(depDir(ctx, 1), 'test');
  let fold = 0;
  const split = await splitBySupport(reference, shifted, {
    folds: spec.folds,
    threshold: spec.threshold,
    seed: spec.seed,
    trainClassifier: modelDomainClassifier(resolveModelPaths(spec.classifier, studyDir(ctx)), spec.recipe, () =>
      ctx.progress({ epoch: ++fold, epochs: spec.folds }),
    ),
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
