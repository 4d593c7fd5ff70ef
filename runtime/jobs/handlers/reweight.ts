// `reweight`: deep feature reweighting of a model's last layer on a held-out split.
import { join } from 'node:path';
import type { JobContext } from '../../exec/handler.ts';
import { DFR_DEFAULT_C, reweightLastLayer } from '../../interventions/dfr.ts';
import { buildModel } from '../../models/build.ts';
import { saveModel } from '../../models/persist.ts';
import { MODEL_DIR, type ReweightJobSpec } from '../specs.ts';
import { depDir, readModel, readSplit, specOf } from './artifacts.ts';

export async function reweight(ctx: JobContext): Promise<void> {
  const spec = specOf<ReweightJobSpec>(ctx);
  // Over a frozen backbone there is no model: the features are the inputs, and the head is new.
  const data = await readSplit(depDir(ctx, spec.linear ? 0 : 1), spec.split);
  const model = spec.linear
    ? buildModel({ kind: 'mlp', hidden: [] }, data.shape, data.classes, spec.seed)
    : await readModel(depDir(ctx, 0));
  try {
    const { model: refitted } = await reweightLastLayer(model, data, {
      balancedBy: spec.balancedBy,
      C: [DFR_DEFAULT_C],
      subsets: 0,
      seed: 0,
    });
    try {
      await saveModel(refitted, join(ctx.outDir, MODEL_DIR));
    } finally {
      refitted.dispose();
    }
  } finally {
    model.dispose();
  }
}
