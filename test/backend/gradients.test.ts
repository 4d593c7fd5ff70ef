// End to end: the gradients of a small conv net's loss on the patched wasm backend match the cpu
// backend's. Covers conv layers with and without a fused activation (the linear one takes another
// code path), max pooling, the dense layer's transposed matmuls and the bias-gradient sums.
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initBackend } from '../../runtime/backend/index.ts';
import { randomInput, relativeError, type KernelInput } from './compare.ts';

const PARAMS: Record<string, number[]> = {
  w1: [3, 3, 1, 4],
  b1: [4],
  w2: [3, 3, 4, 6],
  b2: [6],
  w3: [54, 5],
  b3: [5],
};
const BATCH = 4;

function loss(x: tf.Tensor4D, labels: tf.Tensor2D, p: tf.Tensor[]): tf.Scalar {
  const [w1, b1, w2, b2, w3, b3] = p;
  const h1 = tf.fused.conv2d({ x, filter: w1 as tf.Tensor4D, strides: 1, pad: 'same', bias: b1, activation: 'relu' });
  const pooled = tf.maxPool(h1, 2, 2, 'valid');
  const h2 = tf.fused.conv2d({
    x: pooled,
    filter: w2 as tf.Tensor4D,
    strides: 2,
    pad: 'same',
    bias: b2,
    activation: 'linear',
  });
  const flat = tf.reshape(h2, [BATCH, -1]) as tf.Tensor2D;
  const logits = tf.fused.matMul({ a: flat, b: w3 as tf.Tensor2D, bias: b3, activation: 'relu' });
  return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
}

async function gradients(
  backend: 'wasm' | 'cpu',
  inputs: KernelInput[],
  params: KernelInput[],
): Promise<Float32Array[]> {
  await initBackend(backend);
  return tf.tidy(() => {
    const [x, labels] = inputs.map((input) => tf.tensor(input.values, input.shape));
    const p = params.map((param) => tf.tensor(param.values, param.shape));
    const grads = tf.grads((...vars: tf.Tensor[]) => loss(x as tf.Tensor4D, labels as tf.Tensor2D, vars))(p);
    return grads.map((g) => g.dataSync() as Float32Array);
  });
}

test('tf.grads of a small conv net loss: wasm matches cpu', async () => {
  const x = randomInput([BATCH, 12, 12, 1], 101);
  // One-hot labels: example b has class b mod 5.
  const oneHot = new Float32Array(BATCH * 5).map((_, i) => (i % 5 === Math.floor(i / 5) % 5 ? 1 : 0));
  const labels = { shape: [BATCH, 5], values: oneHot };
  const params = Object.values(PARAMS).map((shape, i) => {
    const input = randomInput(shape, 200 + i);
    input.values = input.values.map((v) => v * 0.3);
    return input;
  });
  const wasm = await gradients('wasm', [x, labels], params);
  const cpu = await gradients('cpu', [x, labels], params);
  Object.keys(PARAMS).forEach((name, i) => {
    assert.ok(
      cpu[i].some((v) => v !== 0),
      `gradient of ${name} is not all zero`,
    );
    const error = relativeError(wasm[i], cpu[i]);
    assert.ok(error < 1e-4, `${name}: relative error ${error}`);
  });
});

test.run();
