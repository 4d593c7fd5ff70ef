// Sum over the leading axes of a float32 tensor (the bias gradient: Σ over batch, rows, columns) as a
// column sum. The wasm backend transposes the reduced axes to the end first, which is the slow part.
// Every other reduction goes to the original kernel.
import { Sum, util, type KernelConfig, type KernelFunc, type SumAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { heapView, runKernel, type BackendWasm } from './wasm-ops.ts';

function sum(args: { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: SumAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const axes = [...new Set(util.parseAxisParam(attrs.axis, x.shape))].sort((p, q) => p - q);
  const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((axis, i) => axis === i);
  if (x.dtype !== 'float32' || !leading) return runKernel(Sum, backend, inputs, { ...attrs });

  const rows = util.sizeFromShape(x.shape.slice(0, axes.length));
  const kept = x.shape.slice(axes.length);
  const cols = util.sizeFromShape(kept);
  const outShape = attrs.keepDims ? [...axes.map(() => 1), ...kept] : kept;
  const out = backend.makeOutput(outShape, 'float32');
  const src = heapView(backend, x);
  const acc = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < cols; c++) acc[c] += src[row + c];
  }
  heapView(backend, out).set(acc);
  return out;
}

export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: sum as unknown as KernelFunc,
};
