// `fit-baseline`: the probit/logit line through the baseline's (reference, shifted) points for one shift.
import { join } from 'node:path';
import { analyseShift, baselinePoints, clipPoint, type MeasuredModel } from '../../analysis/comparison.ts';
import type { JobContext } from '../../exec/handler.ts';
import type { BaselineResult, FitSummary } from '../../results.ts';
import type { FitBaselineJobSpec, Metric } from '../specs.ts';
import { depDir, readJson, readMetrics, specOf, writeJson } from './artifacts.ts';

const FIT_FILE = 'fit.json';

/**
 * What `fit.json` holds: the measured baseline, one model per (reference, shifted) dep pair in dep order (copies
 * of one checkpoint sharing a `point`), the rule that made them points, and the line. Models are not named
 * here (a cached artifact must not carry names: a rename keeps the hash); results name them from the plan.
 */
export interface FitFile {
  metric: Metric;
  scale: FitBaselineJobSpec['scale'];
  points: FitBaselineJobSpec['points'];
  baseline: MeasuredModel[];
  fit: FitSummary;
}

export async function fitBaseline(ctx: JobContext): Promise<void> {
  const spec = specOf<FitBaselineJobSpec>(ctx);
  const baseline = (await measuredPairs(ctx, 0, spec.metric)).map((model, pair) => ({
    ...model,
    point: pointKey(spec.epochs[pair]!),
  }));
  const { baseline: result } = analyseShift(baseline, {}, { scale: spec.scale, baselinePoints: spec.points });
  const file: FitFile = { metric: spec.metric, scale: spec.scale, points: spec.points, baseline, fit: result.fit };
  await writeJson(join(ctx.outDir, FIT_FILE), file);
}

export function readFit(dir: string): Promise<FitFile> {
  return readJson<FitFile>(join(dir, FIT_FILE));
}

/** The key under which the copies of one checkpoint share a point of the line (content only, never a name). */
export const pointKey = (epoch: number): string => `epoch ${epoch}`;

/**
 * The baseline's points and line as results report them, from what the handler wrote. The points are the
 * handler's own grouping (by the stored `point` keys); the plan only names them: `models` gives each dep pair's
 * model name (`scratch.copy1.epoch4`) and the name of the point it belongs to (`scratch.epoch4`).
 */
export function baselineResult(file: FitFile, models: readonly { name: string; point: string }[]): BaselineResult {
  if (models.length !== file.baseline.length)
    throw new Error(`a cached fit holds ${file.baseline.length} models where the plan has ${models.length}`);
  const pointNames = new Map<string, string>();
  file.baseline.forEach((model, pair) => {
    const key = model.point ?? model.label;
    const named = pointNames.get(key);
    if (named !== undefined && named !== models[pair]!.point)
      throw new Error(`a cached fit groups ${named} and ${models[pair]!.point} into one point`);
    pointNames.set(key, models[pair]!.point);
  });
  const labelled = file.baseline.map((model, pair) => ({ ...model, label: models[pair]!.name }));
  // The mean of several copies carries its key as label: it takes the plan's name of the point. A point of one
  // model keeps that model's name.
  const points = baselinePoints(labelled, file.points).map((point) =>
    clipPoint(point.point === undefined ? { ...point, label: pointNames.get(point.label)! } : point),
  );
  return {
    points,
    fit: file.fit,
    pointRule: file.points,
    clippedPoints: points.filter((point) => point.clipped).length,
  };
}

/**
 * The (reference, shifted) metric pairs among the deps from position `first` on, one model per pair, labelled
 * by its pair index. A metric the dep did not measure is an error, never a silent NaN.
 */
export async function measuredPairs(ctx: JobContext, first: number, metric: Metric): Promise<MeasuredModel[]> {
  const count = ctx.job.deps.length - first;
  if (count <= 0 || count % 2 !== 0)
    throw new Error(`job ${ctx.job.id} needs (reference, shifted) pairs of metric jobs, got ${count} deps`);
  const models: MeasuredModel[] = [];
  for (let index = first; index < ctx.job.deps.length; index += 2) {
    const [reference, shifted] = [await readMetrics(depDir(ctx, index)), await readMetrics(depDir(ctx, index + 1))];
    const value = (file: typeof reference, dep: number) => {
      const measured = file.values[metric];
      if (typeof measured !== 'number') throw new Error(`metric job ${ctx.job.deps[dep]} did not measure ${metric}`);
      return { value: measured, count: file.counts[metric] };
    };
    models.push({
      label: `pair ${(index - first) / 2}`,
      reference: value(reference, index),
      shifted: value(shifted, index + 1),
    });
  }
  return models;
}
