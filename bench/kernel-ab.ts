// Before/after comparison of replacement wasm kernels in one process: training steps alternate between
// every replacement installed ("after") and all but the --without ones ("before"), round by round, so a
// shared machine's load drift hits both alike. Reports the median wall and CPU time per step of each
// and their ratio (samples/s after ÷ before). --optimizer shiftlab trains with shiftlab's own Adam (which
// uses the fused ShiftlabAdamUpdate kernel) instead of tf.train.adam.
//
//   node --import tsx bench/kernel-ab.ts --without MaxPool,Identity [--models cnn,mlp] [--rounds 10] [--steps 5]
//     [--optimizer tfjs|shiftlab]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../runtime/backend/index.ts';
import { patchWasmKernels, restoreWasmKernels, WASM_KERNEL_NAMES } from '../runtime/backend/wasm-kernels/index.ts';
import { buildModel, shiftlabAdam, timeTraining, type ModelName } from './lib/tfjs-train.ts';
import { median } from './lib/stats.ts';
import { readMnistTrain } from './mnist-idx.ts';

const { values: flags } = parseArgs({
  options: {
    without: { type: 'string' },
    models: { type: 'string', default: 'cnn,mlp' },
    rounds: { type: 'string', default: '10' },
    steps: { type: 'string', default: '5' },
    optimizer: { type: 'string', default: 'tfjs' },
  },
});
const without = (flags.without ?? '').split(',').filter((name) => name !== '');
if (without.length === 0 || without.some((name) => !WASM_KERNEL_NAMES.includes(name))) {
  throw new Error(`--without takes replacement kernel names: ${WASM_KERNEL_NAMES.join(', ')}`);
}
const OPTIMIZERS = ['tfjs', 'shiftlab'];
if (!OPTIMIZERS.includes(flags.optimizer!)) {
  throw new Error(`--optimizer takes ${OPTIMIZERS.join(' or ')}, got ${flags.optimizer}`);
}
const rounds = Number(flags.rounds);
const steps = Number(flags.steps);

await initBackend('wasm');
const data = readMnistTrain(12800);
const configs = {
  before: WASM_KERNEL_NAMES.filter((name) => !without.includes(name)),
  after: WASM_KERNEL_NAMES,
};
for (const name of flags.models!.split(',') as ModelName[]) {
  const model = buildModel(name);
  const optimizer = flags.optimizer === 'shiftlab' ? shiftlabAdam(1e-3) : tf.train.adam(1e-3);
  const times = {
    before: { wall: [] as number[], cpu: [] as number[] },
    after: { wall: [] as number[], cpu: [] as number[] },
  };
  let offset = 0;
  for (let round = -1; round < rounds; round++) {
    for (const config of ['before', 'after'] as const) {
      restoreWasmKernels();
      patchWasmKernels(configs[config]);
      const cpu = process.cpuUsage();
      const start = performance.now();
      timeTraining(model, optimizer, data, name, steps, offset);
      offset += steps;
      const used = process.cpuUsage(cpu);
      if (round < 0) continue; // warm-up round for both
      times[config].wall.push((performance.now() - start) / steps);
      times[config].cpu.push((used.user + used.system) / 1000 / steps);
    }
  }
  const [wallBefore, wallAfter, cpuBefore, cpuAfter] = [
    median(times.before.wall),
    median(times.after.wall),
    median(times.before.cpu),
    median(times.after.cpu),
  ];
  console.log(
    `${name}: ms per step before ${wallBefore.toFixed(1)} (cpu ${cpuBefore.toFixed(1)}), after ${wallAfter.toFixed(1)} (cpu ${cpuAfter.toFixed(1)}); ` +
      `samples/s after ÷ before: wall ${(wallBefore / wallAfter).toFixed(3)}, cpu ${(cpuBefore / cpuAfter).toFixed(3)} (${rounds} rounds of ${steps} steps)`,
  );
  optimizer.dispose();
  model.dispose();
}
