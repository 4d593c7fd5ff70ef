// `effective-robustness`: an arm's ER against the baseline line of one shift, per copy and aggregated. The one
// place ER is computed: results and expectations read what this handler wrote.
import { join } from 'node:path';
import { analyseShift } from '../../analysis/comparison.ts';
import type { JobContext } from '../../exec/handler.ts';
import type { ArmShiftResult } from '../../results.ts';
import type { EffectiveRobustnessJobSpec } from '../specs.ts';
import { depDir, readJson, specOf, writeJson } from './artifacts.ts';
import { measuredPairs, readFit } from './fit-baseline.ts';

const ER_FILE = 'effective-robustness.json';

/** `effective-robustness.json` is the arm's ArmShiftResult (runtime/results.ts); copies are in dep-pair order. */
export async function effectiveRobustness(ctx: JobContext): Promise<void> {
  const spec = specOf<EffectiveRobustnessJobSpec>(ctx);
  const fit = await readFit(depDir(ctx, 0));
  const copies = await measuredPairs(ctx, 1, spec.metric);
  // The line is refitted from the stored points: its interval depends on this comparison's level.
  const { arms } = analyseShift(
    fit.baseline,
    { arm: copies },
    { scale: spec.scale, interval: spec.interval, baselinePoints: fit.points, armInterval: spec.intervalRule },
  );
  await writeJson(join(ctx.outDir, ER_FILE), arms.arm);
}

/** The ArmShiftResult an effective-robustness job left in its artifact folder `dir`. */
export function readEffectiveRobustness(dir: string): Promise<ArmShiftResult> {
  return readJson<ArmShiftResult>(join(dir, ER_FILE));
}
