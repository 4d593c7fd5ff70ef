// `sweep-select`: pick the candidate whose metric job scored best (the first one on a tie).
import { join } from 'node:path';
import type { JobContext } from '../../exec/handler.ts';
import type { SweepSelectJobSpec } from '../specs.ts';
import { depDir, divergedIn, readMetrics, specOf, writeJson } from './artifacts.ts';

/** What `choice.json` holds; a candidate whose training diverged scores null. */
export interface SweepChoice {
  param: string;
  value: number;
  scores: (number | null)[];
}

export async function sweepSelect(ctx: JobContext): Promise<void> {
  const spec = specOf<SweepSelectJobSpec>(ctx);
  if (spec.values.length === 0 || spec.values.length !== ctx.job.deps.length) {
    throw new Error(`sweep over ${spec.values.length} values has ${ctx.job.deps.length} scored candidates`);
  }
  const scores: (number | null)[] = [];
  const reasons: string[] = [];
  for (let index = 0; index < spec.values.length; index++) {
    const diverged = await divergedIn(depDir(ctx, index));
    if (diverged) {
      scores.push(null);
      reasons.push(`${spec.param} ${spec.values[index]}: ${diverged.reason}`);
      continue;
    }
    const score = (await readMetrics(depDir(ctx, index))).values[spec.metric];
    if (typeof score !== 'number') throw new Error(`sweep candidate ${spec.values[index]} has no ${spec.metric} score`);
    scores.push(score);
  }
  if (reasons.length === scores.length) throw new Error(`every sweep candidate diverged (${reasons.join('; ')})`);
  // The first best on a tie, as runtime/train `sweep` does.
  const best = scores.reduce<number>(
    (top, score, index) => (score !== null && (scores[top] === null || score > scores[top]!) ? index : top),
    0,
  );
  const choice: SweepChoice = { param: spec.param, value: spec.values[best], scores };
  await writeJson(join(ctx.outDir, 'choice.json'), choice);
}
