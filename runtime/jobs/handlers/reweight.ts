// `reweight`: deep feature reweighting of a model's last layer on a held-out split, with the study's options
// (C or its candidates, balanced subsets); `dfr.json` records the chosen C and each candidate's score.
import { join } from 'node:path';
import type { JobContext } from '../../exec/handler.ts';
import { reweightWithHeldOutC } from '../../interventions/dfr.ts';
import { buildModel } from '../../models/build.ts';
import { saveModel } from '../../models/persist.ts';
import { DFR_REPORT_FILE, MODEL_DIR, type ReweightJobSpec } from '../specs.ts';
import { depDir, readModel, readSplit, specOf, writeJson } from './artifacts.ts';

export async function reweight(ctx: JobContext): Promise<void> {
  const spec = specOf<ReweightJobSpec>(ctx);
  // Over a frozen backbone there is no model: the features are the inputs, and the head is new.
  const data = await readSplit(depDir(ctx, spec.linear ? 0 : 1), spec.split);
  const model = spec.linear
    ? buildModel({ kind: 'mlp', hidden: [] }, data.shape, data.classes, spec.seed)
    : await readModel(depDir(ctx, 0));
  try {
    const { model: refitted, report } = await reweightWithHeldOutC(model, data, {
      balancedBy: spec.balancedBy,
      C: spec.C,
      subsets: spec.subsets,
      seed: spec.seed,
    });
    try {
      await saveModel(refitted, join(ctx.outDir, MODEL_DIR));
      await writeJson(join(ctx.outDir, DFR_REPORT_FILE), report);
    } finally {
      refitted.dispose();
    }
  } finally {
    model.dispose();
  }
}
