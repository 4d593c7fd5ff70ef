// Aggregate training throughput of shiftlab's worker pool (runtime/exec executePlan) on independent
// trainings: `--jobs` identical CNN trainings on `--workers` worker threads, each timing its own steps
// after warm-up (bench/pool-handler.ts). Aggregate samples/s = all timed samples / the time during which
// at least one timed window was open, so a worker that starts late is not counted as parallel work.
// `coresUsed` is the process's CPU time over wall time during the timed windows (averaged over jobs): on a
// busy machine it shows how much CPU the pool actually got, so a missed speed-up can be told apart from
// a scheduler that gave it less than `workers` cores.
// Prints one JSON object (last line of stdout) with the process's peak RSS (all workers included).
//
//   node --import tsx bench/pool.ts --workers 2 [--jobs 2] [--model cnn] [--steps 40] [--warmup 3]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { jobHash } from '../runtime/plan.ts';
import { Cache, executePlan, type RunnableJob } from '../runtime/exec/index.ts';
import type { BenchTrainResult, BenchTrainSpec } from './pool-handler.ts';
import type { ModelName } from './lib/tfjs-train.ts';
import { peakRssMiB, round } from './lib/stats.ts';

const { values: flags } = parseArgs({
  options: {
    workers: { type: 'string', default: '2' },
    jobs: { type: 'string', default: '2' },
    model: { type: 'string', default: 'cnn' },
    steps: { type: 'string', default: '40' },
    warmup: { type: 'string', default: '3' },
    examples: { type: 'string', default: '12800' },
  },
});
const workers = Number(flags.workers);
const cacheDir = mkdtempSync(join(os.tmpdir(), 'shiftlab-bench-pool-'));

/** Total length of the union of [start, end] windows. */
function unionMs(windows: { startMs: number; endMs: number }[]): number {
  const sorted = [...windows].sort((a, b) => a.startMs - b.startMs);
  let total = 0;
  let coveredTo = -Infinity;
  for (const { startMs, endMs } of sorted) {
    total += Math.max(0, endMs - Math.max(startMs, coveredTo));
    coveredTo = Math.max(coveredTo, endMs);
  }
  return total;
}

try {
  const jobs: RunnableJob[] = Array.from({ length: Number(flags.jobs) }, (_, i) => {
    const spec: BenchTrainSpec & { copy: number } = {
      model: flags.model as ModelName,
      steps: Number(flags.steps),
      warmup: Number(flags.warmup),
      examples: Number(flags.examples),
      copy: i, // distinct hashes, so the executor runs every copy
    };
    return {
      id: `bench-train#${i}`,
      kind: 'bench-train',
      spec: spec as unknown as RunnableJob['spec'],
      deps: [],
      hash: jobHash('bench-train', spec, []),
    };
  });
  const handlerModule = fileURLToPath(new URL('./pool-handler.ts', import.meta.url));
  const started = performance.now();
  const exec = await executePlan(
    { study: { name: 'bench-pool', file: 'bench/pool.ts', seed: 0 }, jobs },
    { cacheDir, workers, handlers: { module: handlerModule } },
  );
  const wallSeconds = (performance.now() - started) / 1000;
  if (!exec.ok) throw new Error(`pool run failed: ${exec.failed.map((f) => f.message).join('; ') || 'jobs skipped'}`);
  const cache = new Cache(cacheDir);
  const results = jobs.map(
    (job) => JSON.parse(readFileSync(join(cache.entryDir(job.hash), 'throughput.json'), 'utf8')) as BenchTrainResult,
  );
  const samples = results.reduce((sum, r) => sum + r.samples, 0);
  console.log(
    JSON.stringify({
      benchmark: 'pool',
      model: flags.model,
      workers,
      jobs: jobs.length,
      aggregateSamplesPerSec: round(samples / (unionMs(results) / 1000)),
      perJobSamplesPerSec: results.map((r) => round(r.samplesPerSec)),
      coresUsed: round(results.reduce((sum, r) => sum + r.processCpuMs / (r.endMs - r.startMs), 0) / results.length, 2),
      wallSeconds: round(wallSeconds, 2),
      peakRssMiB: peakRssMiB(),
    }),
  );
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
