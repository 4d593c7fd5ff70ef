// Training (and inference) throughput in samples/s, batch 128, on real MNIST, for the CNN
// (conv16-pool-conv32-pool-dense64-dense10) and the MLP (784-256-10) on every available backend:
// wasm with the replacement kernels, wasm with only the missing Conv2DBackpropFilter added, cpu (a very
// short CNN run: it manages a few samples/s), and tensorflow when tfjs-node is installed.
// Each figure is the median of several timed runs after warm-up steps. Batches are views of one
// Float32Array (tf.slice of a big tensor copies the whole source per call on wasm).
//
//   node --import tsx bench/train-throughput.ts [--runs 5] [--steps 20] [--examples 12800] [--only wasm,cpu]
//     [--models mlp,cnn] [--profile] [--json] [--without KERNEL,...]
// --profile adds the time per training step spent in each TF.js kernel (tf.profile; wasm kernels are
// synchronous, so the per-kernel wall time is exact). --json prints one JSON object on stdout and
// writes no file (bench/run.ts calls it that way, one fresh process per measurement). --without leaves
// the named replacement kernels out of 'wasm patched', for before/after comparisons of one replacement.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend, type BackendInfo, type BackendName } from '../runtime/backend/index.ts';
import { patchWasmKernels, restoreWasmKernels, WASM_KERNEL_NAMES } from '../runtime/backend/wasm-kernels/index.ts';
import {
  buildModel,
  shiftlabAdam,
  timeInference,
  timeTraining,
  trainingMflop,
  BATCH,
  type ModelName,
} from './lib/tfjs-train.ts';
import { median, peakRssMiB, round } from './lib/stats.ts';
import { readMnistTrain, type MnistArrays } from './mnist-idx.ts';

interface Setup {
  label: string;
  backend: BackendName;
  /** Which replacement wasm kernels to install (wasm only). */
  wasmKernels?: 'all' | 'filter-only';
  /** Per model: timed runs and batches per run; fewer for very slow combinations. */
  plan(model: ModelName): { runs: number; steps: number; warmup: number };
}

interface Row {
  setup: string;
  backend: string;
  model: ModelName;
  trainSamplesPerSec: number;
  trainRuns: number[];
  /**
   * Training samples per second of this process's CPU time (user + system) in the timed runs: on a
   * shared machine the wall-time figure moves with the load, this one much less.
   */
  trainSamplesPerCpuSec: number;
  inferSamplesPerSec: number;
  mflopPerTrainingSample: number;
  peakRssMiB: number;
  /** Milliseconds per training step by kernel, largest first (with --profile). */
  kernelMsPerStep?: Record<string, number>;
}

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    steps: { type: 'string', default: '20' },
    examples: { type: 'string', default: '12800' },
    only: { type: 'string' },
    out: { type: 'string', default: 'bench/results' },
    models: { type: 'string', default: 'mlp,cnn' },
    profile: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    without: { type: 'string', default: '' },
  },
});
const WITHOUT = flags.without!.split(',').filter((name) => name !== '');
for (const name of WITHOUT) {
  if (!WASM_KERNEL_NAMES.includes(name)) {
    throw new Error(`--without: no replacement kernel ${name} (there are ${WASM_KERNEL_NAMES.join(', ')})`);
  }
}
const RUNS = positiveInt(flags.runs, 'runs');
const STEPS = positiveInt(flags.steps, 'steps');

function positiveInt(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${value}`);
  return n;
}

const SETUPS: Setup[] = [
  { label: 'tensorflow', backend: 'tensorflow', plan: () => ({ runs: RUNS, steps: STEPS, warmup: 3 }) },
  { label: 'wasm patched', backend: 'wasm', wasmKernels: 'all', plan: () => ({ runs: RUNS, steps: STEPS, warmup: 3 }) },
  {
    label: 'wasm filter-only',
    backend: 'wasm',
    wasmKernels: 'filter-only',
    plan: () => ({ runs: RUNS, steps: STEPS, warmup: 3 }),
  },
  {
    label: 'cpu',
    backend: 'cpu',
    // One CNN training step takes ~45 s on the cpu backend: one warm-up step and one timed step.
    plan: (model) =>
      model === 'cnn' ? { runs: 1, steps: 1, warmup: 1 } : { runs: RUNS, steps: Math.min(STEPS, 10), warmup: 2 },
  },
];

async function activate(setup: Setup): Promise<BackendInfo | undefined> {
  let info: BackendInfo;
  try {
    info = await initBackend(setup.backend);
  } catch {
    return undefined; // not available here (tensorflow without tfjs-node)
  }
  if (setup.wasmKernels === 'filter-only') {
    restoreWasmKernels();
    patchWasmKernels(['Conv2DBackpropFilter']);
    info = { ...info, detail: info.detail.replace('patched kernels', 'only Conv2DBackpropFilter added') };
  } else if (setup.wasmKernels === 'all') {
    restoreWasmKernels();
    patchWasmKernels(WASM_KERNEL_NAMES.filter((name) => !WITHOUT.includes(name)));
    if (WITHOUT.length > 0) info = { ...info, detail: `${info.detail} without ${WITHOUT.join(', ')}` };
  }
  return info;
}

/** Time per training step in each kernel, summed over `steps` profiled steps. */
async function profileKernels(
  model: tfl.Sequential,
  optimizer: tf.Optimizer,
  data: MnistArrays,
  name: ModelName,
  steps: number,
): Promise<Record<string, number>> {
  const info = await tf.profile(() => {
    timeTraining(model, optimizer, data, name, steps, 0);
  });
  const totals = new Map<string, number>();
  // Composite ops (name__op) wrap kernels that are listed on their own; counting both would double.
  for (const kernel of info.kernels.filter((k) => !k.name.endsWith('__op')))
    totals.set(kernel.name, (totals.get(kernel.name) ?? 0) + (kernel.kernelTimeMs as number));
  const sorted = [...totals].sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(sorted.map(([kernel, ms]) => [kernel, round(ms / steps, 2)]));
}

async function measure(setup: Setup, info: BackendInfo, name: ModelName, data: MnistArrays): Promise<Row> {
  const { runs, steps, warmup } = setup.plan(name);
  const model = buildModel(name);
  // shiftlab's configuration trains with shiftlab's own Adam (the fused kernel); the reference setups with TF.js's.
  const optimizer = setup.wasmKernels === 'all' ? shiftlabAdam(1e-3) : tf.train.adam(1e-3);
  timeTraining(model, optimizer, data, name, warmup, 0);
  const trainRuns: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let r = 0; r < runs; r++) trainRuns.push(timeTraining(model, optimizer, data, name, steps, warmup + r * steps));
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  timeInference(model, data, name, 2);
  const inferRuns: number[] = [];
  for (let r = 0; r < runs; r++) inferRuns.push(timeInference(model, data, name, Math.max(steps, 5)));
  const row: Row = {
    setup: setup.label,
    backend: info.detail,
    model: name,
    trainSamplesPerSec: round(median(trainRuns)),
    trainRuns: trainRuns.map((v) => round(v)),
    trainSamplesPerCpuSec: round((runs * steps * BATCH) / cpuSeconds),
    inferSamplesPerSec: round(median(inferRuns)),
    mflopPerTrainingSample: Math.round(trainingMflop(model) * 100) / 100,
    peakRssMiB: peakRssMiB(),
  };
  if (flags.profile) row.kernelMsPerStep = await profileKernels(model, optimizer, data, name, Math.min(steps, 5));
  optimizer.dispose();
  model.dispose();
  return row;
}

function formatTable(rows: Row[]): string {
  const header = ['setup', 'model', 'train samples/s', 'infer samples/s', 'train runs'];
  const lines = rows.map((row) => [
    row.setup,
    row.model,
    row.trainSamplesPerSec.toFixed(row.trainSamplesPerSec < 100 ? 1 : 0),
    row.inferSamplesPerSec.toFixed(0),
    row.trainRuns.map((v) => v.toFixed(v < 100 ? 1 : 0)).join(' '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
  return [header, ...lines].map((line) => line.map((cell, i) => cell.padEnd(widths[i])).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const only = flags.only?.split(',').map((s) => s.trim());
  const setups = SETUPS.filter((setup) => !only || only.some((o) => setup.label.startsWith(o)));
  const models = flags.models!.split(',').map((m) => {
    if (m !== 'mlp' && m !== 'cnn') throw new Error(`--models takes mlp and/or cnn, got ${m}`);
    return m as ModelName;
  });
  const data = readMnistTrain(positiveInt(flags.examples, 'examples'));
  const loadBefore = os.loadavg();
  const started = new Date();
  const rows: Row[] = [];
  for (const setup of setups) {
    const info = await activate(setup);
    if (!info) {
      console.error(`skip ${setup.label}: backend not available`);
      continue;
    }
    for (const name of models) {
      const row = await measure(setup, info, name, data);
      console.error(
        `${row.setup} ${row.model}: ${row.trainSamplesPerSec.toFixed(1)} samples/s (runs ${row.trainRuns.join(', ')})`,
      );
      rows.push(row);
    }
  }
  restoreWasmKernels();
  patchWasmKernels();
  if (flags.json) {
    console.log(JSON.stringify({ benchmark: 'train-throughput', batch: BATCH, examples: data.count, rows }));
    return;
  }
  console.log(formatTable(rows));
  const result = {
    benchmark: 'train-throughput',
    date: started.toISOString(),
    command: `node --import tsx bench/train-throughput.ts ${process.argv.slice(2).join(' ')}`.trim(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      loadAverageBefore: loadBefore.map((v) => Math.round(v * 100) / 100),
      loadAverageAfter: os.loadavg().map((v) => Math.round(v * 100) / 100),
    },
    batch: BATCH,
    examples: data.count,
    rows,
  };
  mkdirSync(flags.out!, { recursive: true });
  const file = join(flags.out!, `train-throughput-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  console.log(`\nwrote ${file}`);
}

await main();
