// `transform`: carve `val` out of the source's train part, then apply the chain to every split.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SPLIT_NAMES, type Dataset } from '../../data/dataset.ts';
import { readDataset, writeDataset } from '../../data/serialise.ts';
import { makeSplits } from '../../data/splits.ts';
import { applyTransform } from '../../data/transforms/index.ts';
import type { JobContext } from '../../exec/handler.ts';
import { canonicalJson } from '../../plan.ts';
import { deriveSeed } from '../../random.ts';
import type { TransformJobSpec } from '../specs.ts';
import { depDir, specOf } from './artifacts.ts';

export async function transform(ctx: JobContext): Promise<void> {
  const spec = specOf<TransformJobSpec>(ctx);
  const source = depDir(ctx, 0);
  const val = join(source, 'val');
  const loaded = {
    train: await readDataset(join(source, 'train')),
    test: await readDataset(join(source, 'test')),
    ...(existsSync(join(val, 'dataset.json')) ? { val: await readDataset(val) } : {}),
  };
  const splits = makeSplits(loaded, { val: spec.val }, spec.seed);
  for (const split of SPLIT_NAMES) {
    let data: Dataset = splits[split];
    // A stage's seed depends on the chain up to it, so `reference` and `reference | vflip` agree on the prefix.
    for (const [index, stage] of spec.transforms.entries()) {
      data = applyTransform(
        data,
        stage,
        deriveSeed(spec.seed, 'stage', canonicalJson(spec.transforms.slice(0, index + 1))),
        split,
      );
    }
    await writeDataset(join(ctx.outDir, split), data);
  }
}
