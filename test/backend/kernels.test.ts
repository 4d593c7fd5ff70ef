import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initBackend } from '../../runtime/backend/index.ts';
import { WASM_KERNEL_NAMES } from '../../runtime/backend/wasm-kernels/index.ts';
import { compareWithCpu, randomInput } from './compare.ts';

const TOLERANCE = 1e-4;
const CONV_CASES = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4] },
  { x: [3, 8, 6, 2], filter: [2, 3, 2, 5] },
  { x: [2, 9, 9, 1], filter: [5, 5, 1, 3] },
];
const STRIDES = [1, 2];
const PADS = ['same', 'valid'] as const;

function convOutShape(x: number[], filter: number[], stride: number, pad: 'same' | 'valid'): number[] {
  const out = (size: number, k: number) =>
    pad === 'same' ? Math.ceil(size / stride) : Math.ceil((size - k + 1) / stride);
  return [x[0], out(x[1], filter[0]), out(x[2], filter[1]), filter[3]];
}

let seed = 1;

test('initBackend("wasm") installs every replacement kernel', async () => {
  await initBackend('wasm');
  for (const name of WASM_KERNEL_NAMES) {
    assert.ok(tf.getKernel(name, 'wasm'), `${name} registered`);
  }
  assert.ok(WASM_KERNEL_NAMES.includes('Conv2DBackpropFilter'));
});

for (const { x, filter } of CONV_CASES) {
  for (const stride of STRIDES) {
    for (const pad of PADS) {
      const label = `x ${x} filter ${filter} stride ${stride} ${pad}`;
      const dyShape = convOutShape(x, filter, stride, pad);
      const attrs = { strides: [stride, stride], pad, dataFormat: 'NHWC' };

      test(`Conv2DBackpropFilter matches cpu: ${label}`, async () => {
        const inputs = { x: randomInput(x, seed++), dy: randomInput(dyShape, seed++) };
        const error = await compareWithCpu('Conv2DBackpropFilter', inputs, { ...attrs, filterShape: filter });
        assert.ok(error < TOLERANCE, `relative error ${error}`);
      });

      test(`Conv2DBackpropInput matches cpu: ${label}`, async () => {
        const inputs = { dy: randomInput(dyShape, seed++), filter: randomInput(filter, seed++) };
        const error = await compareWithCpu('Conv2DBackpropInput', inputs, { ...attrs, inputShape: x });
        assert.ok(error < TOLERANCE, `relative error ${error}`);
      });
    }
  }
}

for (const [transposeA, transposeB] of [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
]) {
  const shapeA = transposeA ? [2, 6, 5] : [2, 5, 6];
  const shapeB = transposeB ? [2, 4, 6] : [2, 6, 4];
  const flags = `transposeA=${transposeA} transposeB=${transposeB}`;

  test(`BatchMatMul matches cpu: ${flags}`, async () => {
    const inputs = { a: randomInput(shapeA, seed++), b: randomInput(shapeB, seed++) };
    const error = await compareWithCpu('BatchMatMul', inputs, { transposeA, transposeB });
    assert.ok(error < TOLERANCE, `relative error ${error}`);
  });

  // tf.fused.matMul hands the kernel rank-3 operands with one batch dimension.
  test(`_FusedMatMul (bias + relu) matches cpu: ${flags}`, async () => {
    const inputs = {
      a: randomInput([1, ...shapeA.slice(1)], seed++),
      b: randomInput([1, ...shapeB.slice(1)], seed++),
      bias: randomInput([4], seed++),
    };
    const error = await compareWithCpu('_FusedMatMul', inputs, { transposeA, transposeB, activation: 'relu' });
    assert.ok(error < TOLERANCE, `relative error ${error}`);
  });
}

// Sizes that take every path of simd/matmul.wat: blocks of 4 rows and the rows left over, blocks of 8
// columns and the columns left over, more rows than one 64-row panel; batches equal or broadcast.
const MATMUL_CASES = [
  { batchA: [], batchB: [], m: 70, k: 13, n: 19 },
  { batchA: [3], batchB: [3], m: 9, k: 7, n: 16 },
  { batchA: [1], batchB: [3], m: 6, k: 5, n: 11 },
  { batchA: [2], batchB: [1], m: 4, k: 1, n: 8 },
  { batchA: [2, 3], batchB: [2, 3], m: 5, k: 6, n: 10 },
];

for (const { batchA, batchB, m, k, n } of MATMUL_CASES) {
  for (const [transposeA, transposeB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ]) {
    const shapeA = [...batchA, ...(transposeA ? [k, m] : [m, k])];
    const shapeB = [...batchB, ...(transposeB ? [n, k] : [k, n])];
    const label = `${shapeA} · ${shapeB} transposeA=${transposeA} transposeB=${transposeB}`;

    test(`BatchMatMul matches cpu: ${label}`, async () => {
      const inputs = { a: randomInput(shapeA, seed++), b: randomInput(shapeB, seed++) };
      const error = await compareWithCpu('BatchMatMul', inputs, { transposeA, transposeB });
      assert.ok(error < TOLERANCE, `relative error ${error}`);
    });
  }
}

for (const { activation, bias } of [
  { activation: 'linear', bias: true },
  { activation: 'relu', bias: false },
  { activation: 'elu', bias: true }, // the original kernel's
]) {
  test(`_FusedMatMul (${activation}, ${bias ? 'bias' : 'no bias'}) matches cpu on odd sizes`, async () => {
    const inputs = {
      a: randomInput([1, 70, 13], seed++),
      b: randomInput([1, 13, 19], seed++),
      ...(bias ? { bias: randomInput([19], seed++) } : {}),
    };
    const error = await compareWithCpu('_FusedMatMul', inputs, { transposeA: false, transposeB: false, activation });
    assert.ok(error < TOLERANCE, `relative error ${error}`);
  });
}

for (const { filterSize, stride, pad, shape } of [
  { filterSize: 2, stride: 2, pad: 'valid', shape: [2, 8, 8, 3] },
  { filterSize: 3, stride: 2, pad: 'same', shape: [2, 7, 9, 2] },
  { filterSize: 3, stride: 1, pad: 'same', shape: [1, 5, 5, 4] },
  { filterSize: 2, stride: 1, pad: 'valid', shape: [3, 6, 5, 1] },
  { filterSize: 3, stride: 2, pad: 'same', shape: [2, 6, 5, 6] },
] as const) {
  test(`MaxPoolGrad matches cpu, ties included: ${filterSize}x${filterSize} stride ${stride} ${pad} on ${shape}`, async () => {
    const input = randomInput([...shape], seed++, true);
    await initBackend('cpu');
    const xTensor = tf.tensor4d(input.values, input.shape as [number, number, number, number]);
    const pooled = tf.maxPool(xTensor, filterSize, stride, pad);
    const output = pooled.dataSync() as Float32Array;
    const dyShape = [...pooled.shape];
    tf.dispose([xTensor, pooled]);
    const inputs = { dy: randomInput(dyShape, seed++), input, output: { shape: dyShape, values: output } };
    const error = await compareWithCpu('MaxPoolGrad', inputs, { filterSize, strides: stride, pad });
    assert.ok(error < TOLERANCE, `relative error ${error}`);
  });
}

for (const { shape, axis, keepDims } of [
  { shape: [16, 10], axis: [0], keepDims: false },
  { shape: [4, 5, 5, 6], axis: [0, 1, 2], keepDims: false },
  { shape: [3, 4, 16], axis: [0, 1], keepDims: false },
  { shape: [4, 5, 6], axis: [1, 0], keepDims: true },
  { shape: [4, 5, 6], axis: [1], keepDims: false },
  { shape: [4, 5, 6], axis: [-1], keepDims: true },
  { shape: [4, 5], axis: [0, 1], keepDims: false },
]) {
  test(`Sum matches cpu: shape ${shape} axis ${axis} keepDims ${keepDims}`, async () => {
    const error = await compareWithCpu('Sum', { x: randomInput(shape, seed++) }, { axis, keepDims });
    assert.ok(error < TOLERANCE, `relative error ${error}`);
  });
}

test('Sum of int32 delegates to the original kernel', async () => {
  const x = { shape: [3, 4], values: Int32Array.from({ length: 12 }, (_, i) => i - 5), dtype: 'int32' as const };
  const error = await compareWithCpu('Sum', { x }, { axis: [0], keepDims: false });
  assert.is(error, 0);
});

test('replacement kernels release their intermediates (no wasm memory leak)', async () => {
  await initBackend('wasm');
  const backend = tf.engine().backend as unknown as { numDataIds(): number };
  const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
  const filter = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 8) as tf.Tensor4D;
  const before = backend.numDataIds();
  const grads = tf.grads((a: tf.Tensor, f: tf.Tensor) =>
    tf.sum(
      tf.matMul(
        tf.reshape(tf.maxPool(tf.conv2d(a as tf.Tensor4D, f as tf.Tensor4D, 2, 'same'), 2, 2, 'valid'), [2, -1]),
        tf.ones([16, 3]),
      ),
    ),
  );
  tf.dispose(grads([x, filter]));
  assert.is(backend.numDataIds(), before);
  tf.dispose([x, filter]);
});

test.run();
