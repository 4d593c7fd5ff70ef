// `support-sweep`: a comparison's ER on the in-support and out-of-support parts of a split at every swept ε.
import { join } from 'node:path';
import { epsilonSweep, type SweptModel } from '../../analysis/epsilon-sweep.ts';
import type { JobContext } from '../../exec/handler.ts';
import type { SupportSweepRow } from '../../results.ts';
import type { SupportSweepJobSpec } from '../specs.ts';
import {
  depDir,
  readJson,
  readMetrics,
  readPredictions,
  readSplit,
  specOf,
  writeJson,
  type PartsFile,
} from './artifacts.ts';
import { pointKey } from './fit-baseline.ts';

const SWEEP_FILE = 'support-sweep.json';

export async function supportSweep(ctx: JobContext): Promise<void> {
  const spec = specOf<SupportSweepJobSpec>(ctx);
  const parts = await readJson<PartsFile>(join(depDir(ctx, 0), 'parts.json'));
  const shifted = await readSplit(depDir(ctx, 1), 'test');
  const pairs = ctx.job.deps.length - 2;
  const expected = spec.epochs.length + spec.armCopies.reduce((sum, copies) => sum + copies, 0);
  if (pairs !== 2 * expected)
    throw new Error(`job ${ctx.job.id} needs ${expected} (reference metric, predictions) pairs, got ${pairs} deps`);
  const models: SweptModel[] = [];
  for (let index = 2; index < ctx.job.deps.length; index += 2) {
    const reference = await readMetrics(depDir(ctx, index));
    const value = reference.values[spec.metric];
    if (typeof value !== 'number') throw new Error(`metric job ${ctx.job.deps[index]} did not measure ${spec.metric}`);
    const { probabilities } = await readPredictions(depDir(ctx, index + 1));
    models.push({ reference: { value, count: reference.counts[spec.metric] }, probabilities });
  }
  const baseline = models
    .slice(0, spec.epochs.length)
    .map((model, pair) => ({ ...model, point: pointKey(spec.epochs[pair]!) }));
  let next = spec.epochs.length;
  const arms = spec.armCopies.map((copies) => models.slice(next, (next += copies)));
  const rows = epsilonSweep(
    {
      shifted,
      logDensityRatio: parts.logDensityRatio,
      epsilons: spec.epsilons,
      metric: spec.metric,
      groups: spec.groups,
      baseline,
      arms,
    },
    { scale: spec.scale, interval: spec.interval, baselinePoints: spec.points, armInterval: spec.intervalRule },
  );
  await writeJson(join(ctx.outDir, SWEEP_FILE), rows);
}

/** The rows a support-sweep job left in `dir` (arms keyed by position; non-finite numbers read back as null). */
export function readSupportSweep(dir: string): Promise<SupportSweepRow[]> {
  return readJson<SupportSweepRow[]>(join(dir, SWEEP_FILE));
}
