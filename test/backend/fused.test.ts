// MaxPool keeping its argmax for MaxPoolGrad, against the cpu backend through tf.grad (ties included),
// the Identity that shares memory, which the tape's clone of a saved output goes through, and
// deterministic training with both.
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initBackend } from '../../runtime/backend/index.ts';
import { buildModel } from '../../runtime/models/index.ts';
import { recipe, train } from '../../runtime/train/index.ts';
import { randomDataset, weightsOf } from '../models/setup.ts';
import { recordedMaxTaps } from '../../runtime/backend/wasm-kernels/max-pool.ts';
import { randomInput, relativeError, type KernelInput } from './compare.ts';

const TOLERANCE = 1e-4;
let seed = 900;

interface PoolCase {
  filterSize: number;
  stride: number;
  pad: 'same' | 'valid';
  shape: [number, number, number, number];
}

/** Forward values and input gradient of Σ maxPool(x) · w, plus whether MaxPool recorded its argmax. */
async function pooled(
  backend: 'wasm' | 'cpu',
  { filterSize, stride, pad }: PoolCase,
  x: KernelInput,
  w: KernelInput,
): Promise<{ y: Float32Array; dx: Float32Array; recorded: boolean }> {
  await initBackend(backend);
  let recorded = false;
  let y = new Float32Array();
  const dx = tf.tidy(() => {
    const input = tf.tensor4d(x.values, x.shape as [number, number, number, number]);
    const weights = tf.tensor(w.values, w.shape);
    const grad = tf.grad((a: tf.Tensor) => {
      const out = tf.maxPool(a as tf.Tensor4D, filterSize, stride, pad);
      recorded = recordedMaxTaps(a, out, { filterSize, strides: stride, pad }) !== undefined;
      y = Float32Array.from(out.dataSync());
      return tf.sum(tf.mul(out, weights));
    });
    return grad(input).dataSync() as Float32Array;
  });
  return { y, dx, recorded };
}

for (const poolCase of [
  { filterSize: 2, stride: 2, pad: 'valid', shape: [2, 8, 8, 3] },
  { filterSize: 3, stride: 2, pad: 'same', shape: [2, 7, 9, 2] },
  { filterSize: 3, stride: 1, pad: 'same', shape: [1, 5, 5, 4] },
  { filterSize: 2, stride: 1, pad: 'valid', shape: [3, 6, 5, 1] },
  { filterSize: 3, stride: 2, pad: 'same', shape: [2, 6, 5, 6] },
] as PoolCase[]) {
  const { filterSize, stride, pad, shape } = poolCase;
  test(`MaxPool under a tape records its argmax; values and gradient match cpu, ties included: ${filterSize}x${filterSize} stride ${stride} ${pad} on ${shape}`, async () => {
    const x = randomInput(shape, seed++, true);
    await initBackend('cpu');
    const outShape = tf.tidy(() => tf.maxPool(tf.zeros(shape) as tf.Tensor4D, filterSize, stride, pad).shape);
    const w = randomInput(outShape, seed++);
    const wasm = await pooled('wasm', poolCase, x, w);
    const cpu = await pooled('cpu', poolCase, x, w);
    assert.ok(wasm.recorded, 'the forward MaxPool recorded its argmax on wasm');
    assert.ok(relativeError(wasm.y, cpu.y) === 0, 'forward values equal');
    const error = relativeError(wasm.dx, cpu.dx);
    assert.ok(error < TOLERANCE, `gradient: relative error ${error}`);
  });
}

test('MaxPool outside a tape records nothing (inference runs the original kernel)', async () => {
  await initBackend('wasm');
  tf.tidy(() => {
    const x = tf.randomNormal([1, 4, 4, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
    const y = tf.maxPool(x, 2, 2, 'valid');
    assert.is(recordedMaxTaps(x, y, { filterSize: 2, strides: 2, pad: 'valid' }), undefined);
  });
});

test("Identity shares memory: the tape's clone of a saved output keeps its recorded argmax and outlives it", async () => {
  await initBackend('wasm');
  const backend = tf.engine().backend as unknown as { numDataIds(): number };
  const before = backend.numDataIds();
  const x = tf.tensor4d([1, 3, 2, 3, 0, 5, 5, 4], [1, 2, 4, 1]);
  let saved: tf.Tensor | undefined;
  let recorded = false;
  tf.grad((a: tf.Tensor) => {
    const y = tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid');
    // What the tape does with every tensor it saves for the backward pass (engine.clone → Identity).
    saved = tf.keep(tf.clone(y));
    recorded = recordedMaxTaps(a, saved, { filterSize: 2, strides: 2, pad: 'valid' }) !== undefined;
    return tf.sum(y);
  })(x).dispose();
  assert.ok(recorded, 'the clone finds the argmax recorded for the original');
  assert.equal(Array.from(saved!.dataSync()), [5, 5]);
  saved!.dispose();
  x.dispose();
  assert.is(backend.numDataIds(), before, 'shared memory is freed with its last tensor');
});

test('training a convnet on wasm with these kernels: same seed gives identical weights, another seed differs', async () => {
  await initBackend('wasm');
  const data = randomDataset(48, [8, 8, 1], 3);
  const runs: Float32Array[][] = [];
  for (const trainSeed of [5, 5, 6]) {
    const model = buildModel({ kind: 'convnet', channels: [4, 4], dense: 8 }, data.shape, 3, 0);
    await train(model, data, recipe({ batch: 16, epochs: 2 }), { seed: trainSeed });
    runs.push(weightsOf(model.allVariables()));
    model.dispose();
  }
  assert.equal(runs[0], runs[1]);
  assert.not.equal(runs[0], runs[2]);
});

test.run();
