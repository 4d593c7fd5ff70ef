// `fit-baseline`: the probit/logit line through the baseline's (reference, shifted) points for one shift.
import { join } from 'node:path';
import { analyseShift, clipPoint, type MeasuredModel } from '../../analysis/comparison.ts';
import type { JobContext } from '../../exec/handler.ts';
import type { BaselineResult, FitSummary } from '../../results.ts';
import type { FitBaselineJobSpec, Metric } from '../specs.ts';
import { depDir, readJson, readMetrics, specOf, writeJson } from './artifacts.ts';

const FIT_FILE = 'fit.json';

/**
 * What `fit.json` holds: the measured baseline, one model per (reference, shifted) dep pair in dep order, and its
 * line. Models are not named here (a cached artifact must not carry names: a rename keeps the hash); results
 * name each pair from the current plan.
 */
export interface FitFile {
  metric: Metric;
  scale: FitBaselineJobSpec['scale'];
  baseline: MeasuredModel[];
  fit: FitSummary;
}

export async function fitBaseline(ctx: JobContext): Promise<void> {
  const spec = specOf<FitBaselineJobSpec>(ctx);
  const baseline = await measuredPairs(ctx, 0, spec.metric);
  const { baseline: result } = analyseShift(baseline, {}, { scale: spec.scale });
  const file: FitFile = { metric: spec.metric, scale: spec.scale, baseline, fit: result.fit };
  await writeJson(join(ctx.outDir, FIT_FILE), file);
}

export function readFit(dir: string): Promise<FitFile> {
  return readJson<FitFile>(join(dir, FIT_FILE));
}

/** The baseline's points and line as results report them, from what the handler wrote. */
export function baselineResult(file: FitFile): BaselineResult {
  return { points: file.baseline.map(clipPoint), fit: file.fit };
}

/**
 * The (reference, shifted) metric pairs among the deps from position `first` on, one model per pair, labelled
 * by its pair index. A metric the dep did not measure is an error, never a silent NaN.
 */
export async function measuredPairs(ctx: JobContext, first: number, metric: Metric): Promise<MeasuredModel[]> {
  const count = ctx.job.deps.length - first;
  if (count <= 0 || count % 2 !== 0) throw new Error(`job ${ctx.job.id} needs (reference, shifted) pairs of metric jobs, got ${count} deps`);
  const models: MeasuredModel[] = [];
  for (let index = first; index < ctx.job.deps.length; index += 2) {
    const [reference, shifted] = [await readMetrics(depDir(ctx, index)), await readMetrics(depDir(ctx, index + 1))];
    const value = (file: typeof reference, dep: number) => {
      const measured = file.values[metric];
      if (typeof measured !== 'number') throw new Error(`metric job ${ctx.job.deps[dep]} did not measure ${metric}`);
      return { value: measured, count: file.count };
    };
    models.push({ label: `pair ${(index - first) / 2}`, reference: value(reference, index), shifted: value(shifted, index + 1) });
  }
  return models;
}
