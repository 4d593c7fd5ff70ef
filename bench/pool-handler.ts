// A handler module for bench/pool.ts: one job kind, `bench-train`, that trains the benchmark model on
// MNIST in the worker that runs it (each worker thread has its own TF.js instance) and writes the timed
// window and sample count to `throughput.json` in its artifact directory.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { JobContext, JobHandler } from '../runtime/exec/index.ts';
import { initBackend } from '../runtime/backend/index.ts';
import { BATCH, buildModel, shiftlabAdam, timeTraining, type ModelName } from './lib/tfjs-train.ts';
import { readMnistTrain } from './mnist-idx.ts';

export interface BenchTrainSpec {
  model: ModelName;
  steps: number;
  warmup: number;
  examples: number;
}

export interface BenchTrainResult {
  /** Wall-clock bounds of the timed steps, in ms since the epoch (comparable across threads). */
  startMs: number;
  endMs: number;
  samples: number;
  samplesPerSec: number;
  /** CPU time of the whole process (all threads) during the timed window, in ms. */
  processCpuMs: number;
}

export async function init(): Promise<void> {
  await initBackend('wasm'); // installs the replacement kernels, as shiftlab's own jobs get
}

const now = () => performance.timeOrigin + performance.now();

function benchTrain({ job, outDir }: JobContext): void {
  const spec = job.spec as unknown as BenchTrainSpec;
  const data = readMnistTrain(spec.examples);
  const model = buildModel(spec.model);
  const optimizer = shiftlabAdam(1e-3); // as shiftlab's own training steps
  timeTraining(model, optimizer, data, spec.model, spec.warmup, 0);
  const cpuBefore = process.cpuUsage(); // process-wide, also from a worker thread
  const startMs = now();
  const samplesPerSec = timeTraining(model, optimizer, data, spec.model, spec.steps, spec.warmup);
  const endMs = now();
  const cpu = process.cpuUsage(cpuBefore);
  const processCpuMs = (cpu.user + cpu.system) / 1000;
  const result: BenchTrainResult = { startMs, endMs, samples: spec.steps * BATCH, samplesPerSec, processCpuMs };
  optimizer.dispose();
  model.dispose();
  writeFileSync(join(outDir, 'throughput.json'), JSON.stringify(result));
}

export const handlers: Record<string, JobHandler> = { 'bench-train': benchTrain };
