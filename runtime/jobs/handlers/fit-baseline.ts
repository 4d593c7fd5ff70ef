// `fit-baseline`: the probit/logit line through the baseline's (reference, shifted) points for one shift.
import { join } from 'node:path';
import { analyseShift, type MeasuredModel } from '../../analysis/comparison.ts';
import type { JobContext } from '../../exec/handler.ts';
import type { FitSummary } from '../../results.ts';
import type { FitBaselineJobSpec, Metric } from '../specs.ts';
import { depDir, readMetrics, specOf, writeJson } from './artifacts.ts';

/** What `fit.json` holds: the measured baseline models (labelled by metric job id, copies of one checkpoint
 *  sharing a `point`), the rule that made them points, and the line. */
export interface FitFile {
  metric: Metric;
  scale: FitBaselineJobSpec['scale'];
  points: FitBaselineJobSpec['points'];
  baseline: MeasuredModel[];
  fit: FitSummary;
}

export async function fitBaseline(ctx: JobContext): Promise<void> {
  const spec = specOf<FitBaselineJobSpec>(ctx);
  const baseline = (await measuredPairs(ctx, 0, spec.metric)).map((model, pair) => ({ ...model, point: `epoch${spec.epochs[pair]}` }));
  const { baseline: result } = analyseShift(baseline, {}, { scale: spec.scale, baselinePoints: spec.points });
  const file: FitFile = { metric: spec.metric, scale: spec.scale, points: spec.points, baseline, fit: result.fit };
  await writeJson(join(ctx.outDir, 'fit.json'), file);
}

/** The (reference, shifted) metric pairs among the deps from position `first` on, one model per pair. */
export async function measuredPairs(ctx: JobContext, first: number, metric: Metric): Promise<MeasuredModel[]> {
  const count = ctx.job.deps.length - first;
  if (count <= 0 || count % 2 !== 0) throw new Error(`job ${ctx.job.id} needs (reference, shifted) pairs of metric jobs, got ${count} deps`);
  const models: MeasuredModel[] = [];
  for (let index = first; index < ctx.job.deps.length; index += 2) {
    const [reference, shifted] = [await readMetrics(depDir(ctx, index)), await readMetrics(depDir(ctx, index + 1))];
    const value = (file: typeof reference) => {
      const measured = file.values[metric];
      if (typeof measured !== 'number') throw new Error(`metric job ${ctx.job.deps[index]} did not measure ${metric}`);
      return { value: measured, count: file.counts[metric] };
    };
    models.push({ label: ctx.job.deps[index], reference: value(reference), shifted: value(shifted) });
  }
  return models;
}
