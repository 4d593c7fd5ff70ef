// `sweep-select`: pick the candidate whose metric job scored best (the first one on a tie).
import { join } from 'node:path';
import type { JobContext } from '../../exec/handler.ts';
import type { SweepSelectJobSpec } from '../specs.ts';
import { depDir, readMetrics, specOf, writeJson } from './artifacts.ts';

/** What `choice.json` holds. */
export interface SweepChoice {
  param: string;
  value: number;
  scores: number[];
}

export async function sweepSelect(ctx: JobContext): Promise<void> {
  const spec = specOf<SweepSelectJobSpec>(ctx);
  if (spec.values.length === 0 || spec.values.length !== ctx.job.deps.length) {
    throw new Error(`sweep over ${spec.values.length} values has ${ctx.job.deps.length} scored candidates`);
  }
  const scores: number[] = [];
  for (let index = 0; index < spec.values.length; index++) {
    const score = (await readMetrics(depDir(ctx, index))).values[spec.metric];
    if (typeof score !== 'number') throw new Error(`sweep candidate ${spec.values[index]} has no ${spec.metric} score`);
    scores.push(score);
  }
  const best = scores.indexOf(Math.max(...scores));
  const choice: SweepChoice = { param: spec.param, value: spec.values[best], scores };
  await writeJson(join(ctx.outDir, 'choice.json'), choice);
}
