// MaxPoolGrad that routes dy by the argmax taps the forward MaxPool recorded (max-pool.ts), in
// WebAssembly SIMD; the wasm backend's own kernel is slow. When there are none (the output did not come
// from that kernel), the windows are scanned here first, the same way. Semantics follow the cpu backend
// exactly: each output's gradient goes to the first strictly-largest input of its window, scanning rows
// then columns, padding excluded.
import {
  MaxPoolGrad,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { poolInfo, poolWithTaps, recordedMaxTaps, routeByTaps } from './max-pool.ts';
import { release, zeros, type BackendWasm } from './wasm-ops.ts';

function maxPoolGrad(args: {
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  backend: BackendWasm;
  attrs: MaxPoolGradAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input, output } = inputs;
  const info = poolInfo(input.shape, attrs);
  const recorded = recordedMaxTaps(input, output, attrs);
  const pooled = recorded === undefined ? poolWithTaps(backend, input, info) : undefined;
  const dx = zeros(backend, input.shape);
  routeByTaps(backend, dy, recorded ?? pooled!.taps, dx, info);
  if (pooled) release(backend, pooled.out);
  return dx;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
