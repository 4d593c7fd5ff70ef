// Runs one kernel on the patched wasm backend and on the cpu backend with the same inputs, and
// measures how far apart the results are (max |wasm − cpu| / max |cpu|).
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../runtime/backend/index.ts';
import { Random } from '../../runtime/random.ts';

export interface KernelInput {
  shape: number[];
  values: Float32Array | Int32Array;
  dtype?: 'float32' | 'int32';
}

export function randomInput(shape: number[], seed: number, round = false): KernelInput {
  const rng = new Random(seed);
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  // Rounded values create ties, which exercise tie-breaking (e.g. in max pooling).
  for (let i = 0; i < values.length; i++) values[i] = round ? Math.round(rng.normal()) : rng.normal();
  return { shape, values };
}

async function runOn(
  backend: 'wasm' | 'cpu',
  kernel: string,
  inputs: Record<string, KernelInput>,
  attrs: object,
): Promise<Float32Array | Int32Array> {
  await initBackend(backend);
  return tf.tidy(() => {
    const tensors: tf.NamedTensorMap = {};
    for (const [name, input] of Object.entries(inputs))
      tensors[name] = tf.tensor(input.values, input.shape, input.dtype);
    const out = tf.engine().runKernel(kernel, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
    return out.dataSync() as Float32Array | Int32Array;
  });
}

export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return Number.isNaN(diff) ? Infinity : diff / scale;
}

/** The relative error of the wasm kernel against the cpu kernel on the same inputs. */
export async function compareWithCpu(
  kernel: string,
  inputs: Record<string, KernelInput>,
  attrs: object,
): Promise<number> {
  const wasm = await runOn('wasm', kernel, inputs, attrs);
  const cpu = await runOn('cpu', kernel, inputs, attrs);
  return relativeError(wasm, cpu);
}
