import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  BackendUnavailableError,
  currentBackend,
  initBackend,
  parseBackendChoice,
} from '../../runtime/backend/index.ts';

const nativeInstalled = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'].some((pkg) => {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
});

async function withEnv<T>(value: string | undefined, body: () => Promise<T>): Promise<T> {
  const saved = process.env.SHIFTLAB_BACKEND;
  if (value === undefined) delete process.env.SHIFTLAB_BACKEND;
  else process.env.SHIFTLAB_BACKEND = value;
  try {
    return await body();
  } finally {
    if (saved === undefined) delete process.env.SHIFTLAB_BACKEND;
    else process.env.SHIFTLAB_BACKEND = saved;
  }
}

test('auto picks tensorflow when installed, else wasm, and is idempotent', async () => {
  await withEnv(undefined, async () => {
    await initBackend('wasm'); // start from a known state whatever ran before in this process
    const first = await initBackend();
    const second = await initBackend('auto');
    assert.is(first.name, nativeInstalled ? 'tensorflow' : 'wasm');
    assert.equal(second, first);
    assert.equal(currentBackend(), first);
    assert.is(tf.getBackend(), first.name);
    assert.match(first.detail, first.name === 'wasm' ? /tfjs-backend-wasm 4\.\d+\.\d+.*1 thread/ : /tfjs-node/);
  });
});

test('concurrent calls are serialised and agree', async () => {
  await withEnv(undefined, async () => {
    const [a, b, c] = await Promise.all([initBackend('cpu'), initBackend('wasm'), initBackend('auto')]);
    assert.is(a.name, 'cpu');
    assert.is(b.name, 'wasm');
    assert.equal(c, b);
    assert.is(tf.getBackend(), 'wasm');
  });
});

test('SHIFTLAB_BACKEND=cpu overrides auto', async () => {
  await withEnv('cpu', async () => {
    const info = await initBackend();
    assert.is(info.name, 'cpu');
    assert.is(tf.getBackend(), 'cpu');
    assert.match(info.detail, '@tensorflow/tfjs-backend-cpu');
  });
});

test('an invalid SHIFTLAB_BACKEND is a clear error naming the variable and the choices', async () => {
  await withEnv('gpu', async () => {
    try {
      await initBackend();
      assert.unreachable('should have thrown');
    } catch (error) {
      assert.instance(error, BackendUnavailableError);
      assert.match((error as Error).message, "SHIFTLAB_BACKEND value 'gpu'");
      assert.match((error as Error).message, 'auto, tensorflow, wasm, cpu');
    }
  });
});

test('an explicit choice wins over SHIFTLAB_BACKEND', async () => {
  await withEnv('cpu', async () => {
    assert.is((await initBackend('wasm')).name, 'wasm');
  });
});

test('explicit tensorflow without tfjs-node installed is a clear error', async () => {
  if (nativeInstalled) return;
  try {
    await initBackend('tensorflow');
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, BackendUnavailableError);
    assert.match((error as Error).message, '@tensorflow/tfjs-node');
  }
});

test('parseBackendChoice accepts the four names in any case and rejects others', () => {
  assert.is(parseBackendChoice(' WASM '), 'wasm');
  assert.is(parseBackendChoice('auto'), 'auto');
  assert.throws(() => parseBackendChoice('webgl'), /unknown backend 'webgl'/);
});

test('tfjs-layers shares the tfjs-core instance and has gradients (fits on wasm)', async () => {
  await initBackend('wasm');
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, activation: 'linear' }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 2 }),
    ],
  });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const x = tf.ones([2, 6, 6, 1]);
  const y = tf.zeros([2, 2]);
  const prediction = model.predict(x) as tf.Tensor;
  assert.instance(prediction, tf.Tensor);
  const history = await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
  assert.ok(Number.isFinite(history.history.loss[0] as number));
  tf.dispose([x, y, prediction]);
  model.dispose();
});

test.after(async () => {
  await initBackend('auto'); // leave the process on the default backend for later test files
});

test.run();
