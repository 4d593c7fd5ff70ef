// How long a no-op re-run of a cached study takes: planning (check + plan), the in-process runStudy call
// (cache verification, results assembly, report), and the whole `shiftlab run` process as a user sees it.
// The first call fills the cache when it is cold (that run is not timed). Medians of several runs.
//
//   node --import tsx bench/noop-rerun.ts [--study examples/quickstart.study] [--runs 5] [--cache DIR] [--json]
// --json prints one JSON line (with this process's peak RSS) and writes no file (for bench/run.ts).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { planFile } from '../compiler/plan/index.ts';
import { DEFAULT_CACHE_DIR, defaultWorkerCount } from '../runtime/study/defaults.ts';
import { runStudy } from '../runtime/study/run.ts';
import { peakRssMiB } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    study: { type: 'string', default: 'examples/quickstart.study' },
    runs: { type: 'string', default: '5' },
    cache: { type: 'string', default: DEFAULT_CACHE_DIR },
    json: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const out = mkdtempSync(join(os.tmpdir(), 'shiftlab-noop-'));
// The process gets a results folder of its own: its results name the study's title and file, the in-process
// runs' do not, and a run whose results differ from the folder's redraws the report (a real no-op does not).
const processOut = mkdtempSync(join(os.tmpdir(), 'shiftlab-noop-process-'));
const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];

async function timed<T>(work: () => Promise<T> | T): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, (performance.now() - started) / 1000];
}

const [planned] = await timed(() => planFile(values.study));
if (!planned.plan) throw new Error(`${values.study} has errors; run shiftlab check`);
const plan = planned.plan;
const options = {
  cacheDir: values.cache,
  outDir: out,
  workers: defaultWorkerCount(),
  meta: { source: planned.source },
};
const [warm, warmSeconds] = await timed(() => runStudy(plan, options));
if (!warm.ok) throw new Error('the study did not finish cleanly');
process.stderr.write(`cache ready (${warm.exec.ran.length} jobs ran in ${warmSeconds.toFixed(1)} s)\n`);

const planSeconds: number[] = [];
const runSeconds: number[] = [];
const processSeconds: number[] = [];
for (let i = 0; i < runs; i++) {
  planSeconds.push((await timed(() => planFile(values.study)))[1]);
  const [result, seconds] = await timed(() => runStudy(plan, options));
  if (result.exec.ran.length > 0) throw new Error('a re-run ran jobs: the cache is not being reused');
  runSeconds.push(seconds);
  const [child, wall] = await timed(() =>
    spawnSync(
      process.execPath,
      ['bin/shiftlab.mjs', 'run', values.study, '--cache', values.cache, '--out', processOut, '--quiet'],
      { encoding: 'utf8' },
    ),
  );
  if (child.status !== 0) throw new Error(`shiftlab run exited ${child.status}: ${child.stderr}`);
  processSeconds.push(wall);
}

const result = {
  study: values.study,
  jobs: plan.jobs.length,
  runs,
  cores: os.cpus().length,
  loadavg: os.loadavg()[0],
  planSeconds: median(planSeconds),
  runStudySeconds: median(runSeconds),
  processSeconds: median(processSeconds),
  peakRssMiB: peakRssMiB(),
};
if (values.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  mkdirSync('bench/results', { recursive: true });
  const file = join('bench/results', `noop-rerun-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\nwritten to ${file}\n`);
}
