// `support-split`: divide the shifted distribution's test split into in-support and out-of-support parts with a
// cross-fitted domain classifier built from the study's model spec (or fine-tuned from a pre-trained model) and
// recipe, one candidate per swept value, trained on the reference's `source` split against the shifted test split.
import { join } from 'node:path';
import { fineTunedDomainClassifier, modelDomainClassifier } from '../../analysis/domain-classifier.ts';
import { supportSplit as splitBySupport } from '../../analysis/support-split.ts';
import type { JobContext } from '../../exec/handler.ts';
import type { ShiftlabModel } from '../../models/model.ts';
import type { RecipeSpec } from '../../train/recipe.ts';
import type { SupportSplitJobSpec } from '../specs.ts';
import { resolveModelPaths } from '../../models/create.ts';
import { depDir, readModel, readSplit, specOf, studyDir, writeJson, type PartsFile } from './artifacts.ts';

export async function supportSplit(ctx: JobContext): Promise<void> {
  const spec = specOf<SupportSplitJobSpec>(ctx);
  const reference = await readSplit(depDir(ctx, 0), spec.source);
  const shifted = await readSplit(depDir(ctx, 1), 'test');
  const init: ShiftlabModel | null = spec.hasInit ? await readModel(depDir(ctx, 2)) : null;
  try {
    const values = spec.sweep?.values ?? [null];
    let fits = 0;
    const progress = () => ctx.progress({ epoch: ++fits, epochs: spec.folds * values.length });
    const candidates = values.map((value) => {
      const recipe: RecipeSpec = value === null ? spec.recipe : { ...spec.recipe, [spec.sweep!.param]: value };
      return init
        ? fineTunedDomainClassifier(init, recipe, progress)
        : modelDomainClassifier(resolveModelPaths(spec.classifier, studyDir(ctx)), recipe, progress);
    });
    const split = await splitBySupport(reference, shifted, {
      folds: spec.folds,
      threshold: spec.threshold,
      seed: spec.seed,
      trainClassifier: candidates,
      thresholdSweep: spec.epsilons,
    });
    const parts: PartsFile = {
      inSupport: Array.from(split.inSupport),
      outOfSupport: Array.from(split.outOfSupport),
      auroc: split.auroc,
      auc: split.auc,
      temperature: Number.isFinite(split.temperature) ? split.temperature : null,
      folds: spec.folds,
      threshold: spec.threshold,
      sweep: split.sweep,
      logDensityRatio: Array.from(split.logDensityRatio),
      candidates: values.map((value, i) => ({ value, auroc: split.candidateAurocs[i]! })),
      chosen: split.chosen,
    };
    await writeJson(join(ctx.outDir, 'parts.json'), parts);
  } finally {
    init?.dispose();
  }
}
