// `effective-robustness`: an arm's ER against the baseline line of one shift, per copy and aggregated.
import { join } from 'node:path';
import { analyseShift } from '../../analysis/comparison.ts';
import type { JobContext } from '../../exec/handler.ts';
import type { EffectiveRobustnessJobSpec } from '../specs.ts';
import { depDir, readJson, specOf, writeJson } from './artifacts.ts';
import { measuredPairs, type FitFile } from './fit-baseline.ts';

/** `effective-robustness.json` is the arm's ArmShiftResult (runtime/results.ts). */
export async function effectiveRobustness(ctx: JobContext): Promise<void> {
  const spec = specOf<EffectiveRobustnessJobSpec>(ctx);
  const fit = await readJson<FitFile>(join(depDir(ctx, 0), 'fit.json'));
  const copies = await measuredPairs(ctx, 1, spec.metric);
  // The line is refitted from the stored points: its interval depends on this comparison's level.
  const { arms } = analyseShift(fit.baseline, { arm: copies }, { scale: spec.scale, interval: spec.interval, baselinePoints: fit.points, armInterval: spec.intervalRule });
  await writeJson(join(ctx.outDir, 'effective-robustness.json'), arms.arm);
}
