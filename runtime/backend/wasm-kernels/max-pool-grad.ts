// MaxPoolGrad as a scatter of dy by argmax index (the wasm backend's own kernel is slow). The indices
// are the ones the forward MaxPool recorded (max-pool.ts); when there are none (the output did not come
// from that kernel), the windows are scanned here the same way. Semantics follow the cpu backend
// exactly: each output's gradient goes to the first strictly-largest input of its window, scanning rows
// then columns, padding excluded.
import {
  MaxPoolGrad,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { maxPoolWithPositions, poolInfo, recordedMaxPositions } from './max-pool.ts';
import { heapView, zeros, type BackendWasm } from './wasm-ops.ts';

function scannedPositions(backend: BackendWasm, input: TensorInfo, attrs: MaxPoolGradAttrs): Int32Array {
  const info = poolInfo(input.shape, attrs);
  const size = info.outShape.reduce((a, b) => a * b, 1);
  const positions = new Int32Array(size);
  maxPoolWithPositions(heapView(backend, input), info, new Float32Array(size), positions);
  return positions;
}

function maxPoolGrad(args: {
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  backend: BackendWasm;
  attrs: MaxPoolGradAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input, output } = inputs;
  const positions = recordedMaxPositions(input, output, attrs) ?? scannedPositions(backend, input, attrs);
  const dx = zeros(backend, input.shape);
  const dyData = heapView(backend, dy);
  const dxData = heapView(backend, dx);
  for (let k = 0; k < positions.length; k++) {
    const at = positions[k];
    if (at >= 0) dxData[at] += dyData[k];
  }
  return dx;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
