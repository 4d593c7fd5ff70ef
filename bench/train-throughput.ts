// Training (and inference) throughput in samples/s, batch 128, on real MNIST, for the CNN
// (conv16-pool-conv32-pool-dense64-dense10) and the MLP (784-256-10) on every available backend:
// wasm with the replacement kernels, wasm with only the missing Conv2DBackpropFilter added, cpu (a very
// short CNN run: it manages a few samples/s), and tensorflow when tfjs-node is installed.
// Each figure is the median of several timed runs after warm-up steps. Batches are views of one
// Float32Array (tf.slice of a big tensor copies the whole source per call on wasm).
//
//   node --import tsx bench/train-throughput.ts [--runs 5] [--steps 20] [--examples 12800] [--only wasm,cpu]
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend, type BackendInfo, type BackendName } from '../runtime/backend/index.ts';
import { patchWasmKernels, restoreWasmKernels } from '../runtime/backend/wasm-kernels/index.ts';
import { readMnistTrain, type MnistArrays } from './mnist-idx.ts';

type ModelName = 'cnn' | 'mlp';

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
  inferSamplesPerSec: number;
  mflopPerTrainingSample: number;
}

const BATCH = 128;
const PIXELS = 784;
const CLASSES = 10;

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    steps: { type: 'string', default: '20' },
    examples: { type: 'string', default: '12800' },
    only: { type: 'string' },
    out: { type: 'string', default: 'bench/results' },
  },
});
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
    plan: (model) => (model === 'cnn' ? { runs: 1, steps: 1, warmup: 1 } : { runs: RUNS, steps: Math.min(STEPS, 10), warmup: 2 }),
  },
];

function buildModel(name: ModelName): tfl.Sequential {
  const layers =
    name === 'cnn'
      ? [
          tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 64, activation: 'relu' }),
          tfl.layers.dense({ units: CLASSES }),
        ]
      : [tfl.layers.dense({ inputShape: [PIXELS], units: 256, activation: 'relu' }), tfl.layers.dense({ units: CLASSES })];
  return tfl.sequential({ layers });
}

/**
 * Multiply-adds ×2 of conv and dense layers; training = forward + backward (2× forward) minus the
 * first layer's input gradient, which is never computed.
 */
function trainingMflop(model: tfl.Sequential): number {
  const perLayer = model.layers.map((layer) => {
    const weights = layer.getWeights()[0]?.size ?? 0; // kernel entries: in×out, or kh×kw×in×out
    if (layer.getClassName() === 'Dense') return 2 * weights;
    if (layer.getClassName() === 'Conv2D') {
      const [, height, width] = layer.outputShape as number[];
      return 2 * height * width * weights;
    }
    return 0;
  });
  const forward = perLayer.reduce((a, b) => a + b, 0);
  return (3 * forward - perLayer[0]) / 1e6;
}

function makeBatch(data: MnistArrays, index: number, model: ModelName): { x: tf.Tensor; y: tf.Tensor } {
  const batches = Math.floor(data.count / BATCH);
  const start = (index % batches) * BATCH;
  const pixels = data.images.subarray(start * PIXELS, (start + BATCH) * PIXELS);
  const oneHot = new Float32Array(BATCH * CLASSES);
  for (let i = 0; i < BATCH; i++) oneHot[i * CLASSES + data.labels[start + i]] = 1;
  const shape = model === 'cnn' ? [BATCH, 28, 28, 1] : [BATCH, PIXELS];
  return { x: tf.tensor(pixels, shape), y: tf.tensor2d(oneHot, [BATCH, CLASSES]) };
}

/** Runs `steps` training steps and returns samples/s; the loss is read once at the end to sync. */
function timeTraining(model: tfl.Sequential, optimizer: tf.Optimizer, data: MnistArrays, name: ModelName, steps: number, offset: number): number {
  const started = performance.now();
  let lastLoss = 0;
  for (let s = 0; s < steps; s++) {
    const { x, y } = makeBatch(data, offset + s, name);
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
      s === steps - 1,
    );
    if (loss) {
      lastLoss = loss.dataSync()[0];
      loss.dispose();
    }
    tf.dispose([x, y]);
  }
  const seconds = (performance.now() - started) / 1000;
  if (!Number.isFinite(lastLoss)) throw new Error(`training diverged (loss ${lastLoss})`);
  return (steps * BATCH) / seconds;
}

function timeInference(model: tfl.Sequential, data: MnistArrays, name: ModelName, steps: number): number {
  const started = performance.now();
  for (let s = 0; s < steps; s++) {
    const { x, y } = makeBatch(data, s, name);
    const out = model.predict(x) as tf.Tensor;
    out.dataSync();
    tf.dispose([x, y, out]);
  }
  return (steps * BATCH) / ((performance.now() - started) / 1000);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

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
    patchWasmKernels();
  }
  return info;
}

function measure(setup: Setup, info: BackendInfo, name: ModelName, data: MnistArrays): Row {
  const { runs, steps, warmup } = setup.plan(name);
  const model = buildModel(name);
  const optimizer = tf.train.adam(1e-3);
  timeTraining(model, optimizer, data, name, warmup, 0);
  const trainRuns: number[] = [];
  for (let r = 0; r < runs; r++) trainRuns.push(timeTraining(model, optimizer, data, name, steps, warmup + r * steps));
  timeInference(model, data, name, 2);
  const inferRuns: number[] = [];
  for (let r = 0; r < runs; r++) inferRuns.push(timeInference(model, data, name, Math.max(steps, 5)));
  const row: Row = {
    setup: setup.label,
    backend: info.detail,
    model: name,
    trainSamplesPerSec: round1(median(trainRuns)),
    trainRuns: trainRuns.map(round1),
    inferSamplesPerSec: round1(median(inferRuns)),
    mflopPerTrainingSample: Math.round(trainingMflop(model) * 100) / 100,
  };
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
    for (const name of ['mlp', 'cnn'] as const) {
      const row = measure(setup, info, name, data);
      console.error(`${row.setup} ${row.model}: ${row.trainSamplesPerSec.toFixed(1)} samples/s (runs ${row.trainRuns.join(', ')})`);
      rows.push(row);
    }
  }
  restoreWasmKernels();
  patchWasmKernels();
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
