// `npm run bench`: every benchmark in one run on this machine, then bench/results/<date>.json and the
// generated tables in docs/performance.md. Training measurements run round-robin in fresh processes
// (shiftlab TF.js, PyTorch 1 and 2 threads, the worker pool with 1 and 2 workers), one timed run each per
// round, so load drift on a shared machine hits every system alike; each figure is the median over rounds.
//
//   npm run bench [-- --rounds 5] [--steps 20] [--pool-steps 40] [--quickstart-rounds 3] [--skip-slow] [--skip-e2e]
//                 [--no-docs]
//   npm run bench -- --render bench/results/<date>.json     # regenerate the doc tables, measure nothing
// --skip-slow leaves out the single-run reference rows (wasm with only the missing kernel, cpu backend).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runJson, runTsJson, timeProcess } from './lib/child.ts';
import { busyThreadCpuShare, describeMachine, loadAverage } from './lib/machine.ts';
import { renderReport, replaceGenerated, type BenchResults, type TrainingRow } from './lib/report.ts';
import { median, round } from './lib/stats.ts';
import type { ModelName } from './lib/tfjs-train.ts';

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    steps: { type: 'string', default: '20' },
    'pool-steps': { type: 'string', default: '40' },
    'skip-slow': { type: 'boolean', default: false },
    'skip-e2e': { type: 'boolean', default: false },
    'no-docs': { type: 'boolean', default: false },
    'quickstart-rounds': { type: 'string', default: '3' },
    render: { type: 'string' },
  },
});
const ROUNDS = Number(flags.rounds);
const STEPS = flags.steps!;
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3'; // Debian's python3, where python3-torch lives
const DOC = 'docs/performance.md';
const QUICKSTART = 'examples/quickstart.study';
const FULL_MNIST = 'bench/studies/mnist_60k.study';

const log = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

interface TfjsJson {
  rows: {
    trainSamplesPerSec: number;
    inferSamplesPerSec: number;
    peakRssMiB: number;
    backend: string;
    kernelMsPerStep?: Record<string, number>;
  }[];
}
interface TorchJson {
  trainSamplesPerSec: number;
  inferSamplesPerSec: number;
  peakRssMiB: number;
  torch: string;
  blas: string;
  threads: number;
}
interface PoolJson {
  aggregateSamplesPerSec: number;
  perJobSamplesPerSec: number[];
  coresUsed: number;
  peakRssMiB: number;
}

/** One training configuration, measured once per round. */
interface Measurement {
  key: string;
  setup: string;
  model: ModelName;
  run(round: number): {
    train: number;
    infer?: number;
    peakRssMiB: number;
    detail?: string;
    coresUsed?: number;
    kernelMsPerStep?: Record<string, number>;
  };
}

function tfjs(setup: string, only: string, model: ModelName, extra: string[] = []): Measurement {
  return {
    key: `tfjs ${only} ${model}`,
    setup,
    model,
    run(round) {
      const profile = model === 'cnn' && round === 0 && only === 'wasm patched' ? ['--profile'] : [];
      const { value } = runTsJson<TfjsJson>('bench/train-throughput.ts', [
        '--only',
        only,
        '--models',
        model,
        '--runs',
        '1',
        '--steps',
        STEPS,
        '--json',
        ...profile,
        ...extra,
      ]);
      const row = value.rows[0];
      if (!row) throw new Error(`backend for '${only}' is not available`);
      return {
        train: row.trainSamplesPerSec,
        infer: row.inferSamplesPerSec,
        peakRssMiB: row.peakRssMiB,
        detail: row.backend,
        kernelMsPerStep: row.kernelMsPerStep,
      };
    },
  };
}

function pytorch(model: ModelName, threads: number): Measurement {
  return {
    key: `pytorch ${threads} ${model}`,
    setup: `PyTorch CPU, ${threads} thread${threads > 1 ? 's' : ''}`,
    model,
    run() {
      const args = [
        'bench/pytorch/train.py',
        '--model',
        model,
        '--threads',
        String(threads),
        '--runs',
        '1',
        '--steps',
        STEPS,
      ];
      const { value } = runJson<TorchJson>(PYTHON, args);
      return {
        train: value.trainSamplesPerSec,
        infer: value.inferSamplesPerSec,
        peakRssMiB: value.peakRssMiB,
        detail: `torch ${value.torch}, ${value.blas}`,
      };
    },
  };
}

function pool(workers: number): Measurement {
  return {
    key: `pool ${workers}`,
    setup: `shiftlab worker pool, ${workers} worker${workers > 1 ? 's' : ''} (aggregate)`,
    model: 'cnn',
    run() {
      const { value } = runTsJson<PoolJson>('bench/pool.ts', [
        '--workers',
        String(workers),
        '--jobs',
        '2',
        '--steps',
        flags['pool-steps']!,
      ]);
      return {
        train: value.aggregateSamplesPerSec,
        peakRssMiB: value.peakRssMiB,
        coresUsed: value.coresUsed,
        detail: `per job ${value.perJobSamplesPerSec.join(', ')}`,
      };
    },
  };
}

/** The machine's native float32 GEMM throughput through NumPy's BLAS, on `threads` threads. */
function nativeSgemm(threads: number): NonNullable<BenchResults['sgemm']>[number] {
  const { value } = runJson<{ gflops: number; blas: string }>(PYTHON, [
    'bench/pytorch/sgemm.py',
    '--threads',
    String(threads),
  ]);
  log(`native SGEMM, ${threads} thread${threads > 1 ? 's' : ''}: ${value.gflops} GFLOP/s (${value.blas})`);
  return { threads, gflops: value.gflops, blas: value.blas };
}

/** Installs PyTorch from Debian when missing; false (with the reason logged) when that fails. */
function pytorchReady(): boolean {
  const install = spawnSync('sh', ['bench/pytorch/install.sh'], { encoding: 'utf8' });
  if (install.status !== 0) {
    log(`PyTorch rows skipped: bench/pytorch/install.sh failed: ${install.stderr.trim().split('\n').pop()}`);
    return false;
  }
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) log(`PyTorch rows skipped: ${PYTHON} cannot import torch`);
  return probe.status === 0;
}

/** Round-robin: every round measures every configuration once, alternating TF.js and PyTorch. */
function measureTraining(measurements: Measurement[], rounds: number): TrainingRow[] {
  const samples = new Map(
    measurements.map((m) => [
      m.key,
      {
        train: [] as number[],
        infer: [] as number[],
        rss: [] as number[],
        cores: [] as number[],
        detail: '',
        kernels: undefined as Record<string, number> | undefined,
      },
    ]),
  );
  for (let round = 0; round < rounds; round++) {
    for (const m of measurements) {
      const s = samples.get(m.key)!;
      try {
        const r = m.run(round);
        s.train.push(r.train);
        if (r.infer !== undefined) s.infer.push(r.infer);
        s.rss.push(r.peakRssMiB);
        if (r.coresUsed !== undefined) s.cores.push(r.coresUsed);
        s.detail = r.detail ?? s.detail;
        s.kernels ??= r.kernelMsPerStep;
        const cores = r.coresUsed === undefined ? '' : `, ${r.coresUsed} cores used`;
        log(
          `round ${round + 1}/${rounds} ${m.setup} ${m.model}: ${r.train} samples/s${cores} (load ${loadAverage()[0]})`,
        );
      } catch (error) {
        log(`round ${round + 1}/${rounds} ${m.setup} ${m.model} failed: ${(error as Error).message}`);
      }
    }
  }
  return measurements.map((m) => {
    const s = samples.get(m.key)!;
    return {
      key: m.key,
      setup: m.setup,
      model: m.model,
      detail: s.detail,
      runs: s.train,
      trainSamplesPerSec: round(median(s.train)),
      inferSamplesPerSec: s.infer.length ? round(median(s.infer)) : undefined,
      peakRssMiB: s.rss.length ? Math.max(...s.rss) : undefined,
      coresUsed: s.cores.length ? round(median(s.cores), 2) : undefined,
      samplesPerCpuSecond: s.cores.length ? round(median(s.train.map((v, i) => v / s.cores[i]))) : undefined,
      kernelMsPerStep: s.kernels,
    };
  });
}

type EndToEnd = NonNullable<BenchResults['endToEnd']>;

function endToEnd(): EndToEnd {
  const scratch = mkdtempSync(join(os.tmpdir(), 'shiftlab-bench-e2e-'));
  try {
    const cache = join(scratch, 'cache');
    const shiftlabArgs = [
      'bin/shiftlab.mjs',
      'run',
      QUICKSTART,
      '--cache',
      cache,
      '--out',
      join(scratch, 'out'),
      '--quiet',
    ];
    log(`end to end: shiftlab run ${QUICKSTART} on a fresh cache`);
    const fresh = timeProcess(process.execPath, shiftlabArgs);
    log(`quick study: ${fresh.wallSeconds.toFixed(1)} s`);
    const noop = runTsJson<EndToEnd['noop']>('bench/noop-rerun.ts', [
      '--study',
      QUICKSTART,
      '--cache',
      cache,
      '--runs',
      '3',
      '--json',
    ]).value;
    log(`memory: shiftlab run ${FULL_MNIST} (60,000 digits, 1 worker) on a fresh cache`);
    const fullArgs = [
      'bin/shiftlab.mjs',
      'run',
      FULL_MNIST,
      '--cache',
      join(scratch, 'cache-full'),
      '--out',
      join(scratch, 'out-full'),
      '--workers',
      '1',
      '--quiet',
    ];
    const full = timeProcess(process.execPath, fullArgs);
    log(`60k study: ${full.wallSeconds.toFixed(1)} s, peak ${full.peakRssMiB ?? '?'} MiB`);
    return {
      study: QUICKSTART,
      jobs: noop.jobs,
      fresh: { wallSeconds: round(fresh.wallSeconds, 1), peakRssMiB: fresh.peakRssMiB },
      noop,
      full: { study: FULL_MNIST, wallSeconds: round(full.wallSeconds, 1), peakRssMiB: full.peakRssMiB },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const started = new Date();
  const loadStart = loadAverage();
  const cpuShareStart = busyThreadCpuShare();
  const machine = describeMachine();
  log(
    `${machine.cpus} cores, ${machine.cpuModel}, load ${loadStart.join(' ')}, a busy thread gets ${cpuShareStart} of a core`,
  );
  const withTorch = pytorchReady();
  // The processes timed below run bin/shiftlab.mjs, i.e. dist/: build it from the current sources first.
  if (spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' }).status !== 0)
    throw new Error('scripts/build.mjs failed');

  log('compiler: check + plan + compile of generated studies, parse throughput');
  const compiler = runTsJson<BenchResults['compiler']>('bench/compiler.ts', []).value;
  log('start-up: shiftlab check as a whole process, next to node -e 0');
  const startup = runTsJson<NonNullable<BenchResults['startup']>>('bench/startup.ts', []).value;

  const measurements: Measurement[] = [
    tfjs('shiftlab (TF.js wasm, replacement kernels, 1 thread)', 'wasm patched', 'mlp'),
    ...(withTorch ? [pytorch('mlp', 1)] : []),
    tfjs('shiftlab (TF.js wasm, replacement kernels, 1 thread)', 'wasm patched', 'cnn'),
    ...(withTorch ? [pytorch('cnn', 1)] : []),
    pool(1),
    ...(withTorch ? [pytorch('mlp', 2)] : []),
    pool(2),
    ...(withTorch ? [pytorch('cnn', 2)] : []),
  ];
  const training = measureTraining(measurements, ROUNDS);
  const reference = flags['skip-slow']
    ? []
    : measureTraining(
        [
          tfjs('TF.js wasm, only Conv2DBackpropFilter added', 'wasm filter-only', 'mlp'),
          tfjs('TF.js wasm, only Conv2DBackpropFilter added', 'wasm filter-only', 'cnn'),
          tfjs('TF.js cpu (pure JavaScript)', 'cpu', 'mlp'),
          tfjs('TF.js cpu (pure JavaScript)', 'cpu', 'cnn'),
        ],
        1,
      );

  const e2e = flags['skip-e2e'] ? undefined : endToEnd();
  const sgemm = withTorch ? [1, 2].map((threads) => nativeSgemm(threads)) : undefined;
  log('the quick study against bench/pytorch/quickstart.py, alternating rounds');
  const quickstart = withTorch && !flags['skip-e2e'] ? quickstartAgainstPytorch() : undefined;
  const results: BenchResults = {
    date: started.toISOString(),
    minutes: round((Date.now() - started.getTime()) / 60000, 1),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    rounds: ROUNDS,
    steps: Number(STEPS),
    poolSteps: Number(flags['pool-steps']),
    machine: { ...machine, loadStart, loadEnd: loadAverage(), cpuShareStart, cpuShareEnd: busyThreadCpuShare() },
    compiler,
    startup,
    training,
    reference,
    endToEnd: e2e,
    sgemm,
    quickstart,
  };
  mkdirSync('bench/results', { recursive: true });
  const file = join('bench/results', `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${file}`);
  publish(results, file);
}

// The slowest part runs last; when it fails the figures measured before it are still written.
function quickstartAgainstPytorch(): BenchResults['quickstart'] {
  try {
    return runTsJson<NonNullable<BenchResults['quickstart']>>('bench/quickstart-vs-pytorch.ts', [
      '--rounds',
      flags['quickstart-rounds']!,
    ]).value;
  } catch (error) {
    log(`quick study against PyTorch skipped: ${(error as Error).message}`);
    return undefined;
  }
}

function publish(results: BenchResults, file: string): void {
  const report = renderReport(results, file);
  if (!flags['no-docs']) {
    writeFileSync(DOC, replaceGenerated(readFileSync(DOC, 'utf8'), report));
    log(`updated the tables in ${DOC}`);
  }
  process.stdout.write(`${report}\n`);
}

if (flags.render) publish(JSON.parse(readFileSync(flags.render, 'utf8')) as BenchResults, flags.render);
else await main();
