// The handler module every executor worker imports: one handler per job kind of specs.ts, and `init`,
// which starts the tensor backend the run asked for before any job runs.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { currentBackend, initBackend, type BackendChoice } from '../backend/index.ts';
import type { JobHandler } from '../exec/handler.ts';
import type { JobKind, JsonValue } from '../plan.ts';
import { BACKEND_ARTIFACT } from './handlers/artifacts.ts';
import { checkpoint } from './handlers/checkpoint.ts';
import { effectiveRobustness } from './handlers/effective-robustness.ts';
import { expect } from './handlers/expect.ts';
import { features } from './handlers/features.ts';
import { fitBaseline } from './handlers/fit-baseline.ts';
import { load } from './handlers/load.ts';
import { metric } from './handlers/metric.ts';
import { predict } from './handlers/predict.ts';
import { pretrain } from './handlers/pretrain.ts';
import { reweight } from './handlers/reweight.ts';
import { supportSplit } from './handlers/support-split.ts';
import { supportSweep } from './handlers/support-sweep.ts';
import { sweepSelect } from './handlers/sweep-select.ts';
import { train } from './handlers/train.ts';
import { transform } from './handlers/transform.ts';

/**
 * Cache entries outlive runs, and hashes do not include the backend, so a job that computes with tensors
 * records which backend did; results then say which backends produced their numbers.
 */
function recordingBackend(handler: JobHandler): JobHandler {
  return async (ctx) => {
    await handler(ctx);
    await writeFile(join(ctx.outDir, BACKEND_ARTIFACT), JSON.stringify(currentBackend()));
  };
}

export const handlers: Record<JobKind, JobHandler> = {
  load,
  transform,
  features: recordingBackend(features),
  pretrain: recordingBackend(pretrain),
  train: recordingBackend(train),
  checkpoint,
  'sweep-select': sweepSelect,
  reweight: recordingBackend(reweight),
  predict: recordingBackend(predict),
  metric,
  'fit-baseline': fitBaseline,
  'effective-robustness': effectiveRobustness,
  'support-split': recordingBackend(supportSplit),
  'support-sweep': supportSweep,
  expect,
};

/** Options the run passes to every worker. */
export interface HandlerOptions {
  backend?: BackendChoice;
}

export async function init(options: JsonValue | undefined): Promise<void> {
  const { backend = 'auto' } = (options ?? {}) as HandlerOptions;
  await initBackend(backend);
}
