// The fused Adam update (ShiftlabAdamUpdate, simd/adam.wat) against shiftlab's op-by-op Adam on the same
// wasm backend (the same numbers: the same float32 operations in the same order) and against
// tf.train.adam (within 1e-6), over several steps, sizes that take both the SIMD and the scalar path,
// and both kinds of weight decay.
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initBackend } from '../../runtime/backend/index.ts';
import { ADAM_UPDATE } from '../../runtime/backend/wasm-kernels/adam.ts';
import { patchWasmKernels, restoreWasmKernels, WASM_KERNEL_NAMES } from '../../runtime/backend/wasm-kernels/index.ts';
import { makeOptimizer } from '../../runtime/train/optimizer.ts';
import { recipe, type RecipeSpec } from '../../runtime/train/recipe.ts';
import { randomInput, relativeError } from './compare.ts';

const SHAPES = [[13, 5], [7], [64]];
const STEPS = 4;
const LR = 0.01;

/** The variables after STEPS updates by `update` with the same seeded start and gradients, read back. */
function train(update: (variables: tf.Variable[], gradients: tf.Tensor[]) => void): Float32Array[] {
  const variables = SHAPES.map((shape, i) => tf.variable(tf.tensor(randomInput(shape, 100 + i).values, shape)));
  for (let step = 0; step < STEPS; step++) {
    const gradients = SHAPES.map((shape, i) => tf.tensor(randomInput(shape, 10 * step + i).values, shape));
    update(variables, gradients);
    tf.dispose(gradients);
  }
  const values = variables.map((v) => v.dataSync() as Float32Array);
  tf.dispose(variables);
  return values;
}

/** Each variable's values after STEPS updates with shiftlab's optimizer on the current backend. */
function trainShiftlab(spec: RecipeSpec): Float32Array[] {
  const optimizer = makeOptimizer(spec);
  const values = train((variables, gradients) => optimizer.step(variables, gradients, LR));
  optimizer.dispose();
  return values;
}

function trainTfAdam(): Float32Array[] {
  const optimizer = tf.train.adam(LR, 0.9, 0.999, 1e-8);
  const values = train((variables, gradients) =>
    optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: gradients[i] }))),
  );
  optimizer.dispose();
  return values;
}

/** Shiftlab's optimizer on wasm with the fused kernel and without it (op by op). */
function fusedAndOpByOp(spec: RecipeSpec): [Float32Array[], Float32Array[]] {
  assert.ok(tf.getKernel(ADAM_UPDATE, 'wasm'), 'the fused kernel is installed');
  const fused = trainShiftlab(spec);
  restoreWasmKernels();
  patchWasmKernels(WASM_KERNEL_NAMES.filter((name) => name !== ADAM_UPDATE));
  try {
    return [fused, trainShiftlab(spec)];
  } finally {
    patchWasmKernels();
  }
}

for (const spec of [
  recipe({ optimizer: 'adam' }),
  recipe({ optimizer: 'adam', weight_decay: 0.1 }),
  recipe({ optimizer: 'adamw', weight_decay: 0.1 }),
]) {
  test(`fused Adam equals the op-by-op update on wasm: ${spec.optimizer}, decay ${spec.weight_decay}`, async () => {
    await initBackend('wasm');
    const [fused, opByOp] = fusedAndOpByOp(spec);
    fused.forEach((values, i) => assert.equal(Array.from(values), Array.from(opByOp[i])));
  });
}

test('fused Adam equals tf.train.adam within 1e-6', async () => {
  await initBackend('wasm');
  const fused = trainShiftlab(recipe({ optimizer: 'adam' }));
  const reference = trainTfAdam();
  fused.forEach((values, i) => {
    const error = relativeError(values, reference[i]);
    assert.ok(error < 1e-6, `relative error ${error}`);
  });
});

test.run();
