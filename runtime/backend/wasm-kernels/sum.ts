// Sum over the leading axes of a float32 tensor (the bias gradient: Σ over batch, rows, columns) as a
// column sum in WebAssembly SIMD (simd/column-sum.wat), accumulated in float64. The wasm backend
// transposes the reduced axes to the end first, which is the slow part. Every other reduction goes to
// the original kernel.
import { Sum, util, type KernelConfig, type KernelFunc, type SumAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernels } from './simd.ts';
import { pointer, release, runKernel, type BackendWasm } from './wasm-ops.ts';

/** simd/column-sum.wat: pointers (byte offsets) to x, float64 scratch for `cols` sums, and the output. */
interface ColumnSumKernels {
  columnSum(x: number, acc: number, out: number, rows: number, cols: number): void;
}

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
  // Two float32 slots hold one float64 sum.
  const acc = backend.makeOutput([2 * cols], 'float32');
  simdKernels<ColumnSumKernels>(backend, 'column-sum').columnSum(
    pointer(backend, x),
    pointer(backend, acc),
    pointer(backend, out),
    rows,
    cols,
  );
  release(backend, acc);
  return out;
}

export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: sum as unknown as KernelFunc,
};
