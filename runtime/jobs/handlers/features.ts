// `features`: one pass of a frozen backbone over one distribution split. The dataset it writes keeps the
// split's labels and recorded attributes (groups, balanced_by and DFR read them) with feature vectors as
// inputs; every probe, reweighting, candidate and copy over this backbone and split reads it from the cache.
import { join } from 'node:path';
import type { Dataset } from '../../data/dataset.ts';
import { writeDataset } from '../../data/serialise.ts';
import type { JobContext } from '../../exec/handler.ts';
import { BACKBONES, resolveBackbonePaths } from '../../models/frozen/kinds.ts';
import type { FeaturesJobSpec } from '../specs.ts';
import { depDir, readSplit, specOf, studyDir } from './artifacts.ts';

export async function features(ctx: JobContext): Promise<void> {
  const spec = specOf<FeaturesJobSpec>(ctx);
  const data = await readSplit(depDir(ctx, 0), spec.split);
  if (data.shape.length !== 3) {
    throw new Error(
      `${spec.backbone.path}: a frozen backbone reads images [height, width, channels]; this data has shape [${data.shape.join(', ')}]`,
    );
  }
  const backbone = await BACKBONES[spec.backbone.kind].load(resolveBackbonePaths(spec.backbone, studyDir(ctx)));
  try {
    const { features: x, dim } = await backbone.features(data);
    // Computed once: per-batch augmentation cannot apply (the checker refuses training on it here, S4020).
    const result: Dataset = {
      shape: [dim],
      classes: data.classes,
      size: data.size,
      x,
      y: data.y,
      attributes: data.attributes,
    };
    await writeDataset(join(ctx.outDir, spec.split), result);
  } finally {
    await backbone.dispose();
  }
}
