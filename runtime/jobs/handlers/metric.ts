// `metric`: the metrics of one prediction set against the labels (and groups) of the data it predicted.
import { join } from 'node:path';
import { evaluate } from '../../eval/evaluate.ts';
import type { JobContext } from '../../exec/handler.ts';
import type { MetricJobSpec } from '../specs.ts';
import {
  depDir,
  divergedIn,
  DIVERGED_FILE,
  readEvaluatedData,
  readPredictions,
  specOf,
  writeJson,
  type MetricsFile,
} from './artifacts.ts';

export async function metric(ctx: JobContext): Promise<void> {
  const spec = specOf<MetricJobSpec>(ctx);
  const predictionsDir = depDir(ctx, 0);
  const diverged = await divergedIn(predictionsDir);
  if (diverged) return writeJson(join(ctx.outDir, DIVERGED_FILE), diverged);
  const { header, probabilities } = await readPredictions(predictionsDir);
  const data = await readEvaluatedData(depDir(ctx, 1), spec.split, spec.part, spec.part ? depDir(ctx, 2) : undefined);
  if (header.size !== data.size) {
    throw new Error(`predictions for ${header.size} examples do not match the ${data.size} evaluated examples`);
  }
  const values: Record<string, number> = {};
  const counts: Record<string, number> = {};
  for (const name of spec.metrics) {
    ({ value: values[name], count: counts[name] } = evaluate(
      name,
      probabilities,
      data,
      spec.groups.length > 0 ? spec.groups : undefined,
    ));
  }
  const result: MetricsFile = { values, counts, count: data.size };
  await writeJson(join(ctx.outDir, 'metrics.json'), result);
}
