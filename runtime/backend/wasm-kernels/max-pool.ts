// MaxPool that, while a gradient tape records, also keeps each output's argmax (which tap of its window
// holds the first strictly largest value, the cpu backend's choice on ties), so MaxPoolGrad can route dy
// by it instead of scanning every window again. Both run in WebAssembly SIMD (simd/max-pool.wat), four
// channels at a time. Outside a tape (inference) it is the original XNNPACK kernel. The taps live in the
// output's own wasm allocation, found through a WeakMap keyed by the output's dataId.
import {
  backend_util,
  engine,
  MaxPool,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolAttrs,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { simdKernels, windowGeometry } from './simd.ts';
import { malloc, pointer, runKernel, type BackendWasm } from './wasm-ops.ts';

/** simd/max-pool.wat: pointers (byte offsets) first, then the pooling geometry (see `windowGeometry`). */
interface MaxPoolKernels {
  maxPool(x: number, out: number, taps: number, ...geometry: number[]): void;
  maxPoolGrad(dy: number, taps: number, dx: number, ...geometry: number[]): void;
}

interface RecordedTaps {
  input: object;
  attrs: string;
  /** Byte offset of the taps in the wasm memory (inside the output's own allocation). */
  taps: number;
}

const recorded = new WeakMap<object, RecordedTaps>();

type PoolAttrs = Pick<MaxPoolAttrs, 'filterSize' | 'strides' | 'pad' | 'dimRoundingMode'>;

/** The pooling geometry of MaxPool and MaxPoolGrad (which share their attributes). */
export function poolInfo(inputShape: number[], attrs: PoolAttrs): backend_util.Conv2DInfo {
  return backend_util.computePool2DInfo(
    inputShape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
}

function attrsKey(attrs: PoolAttrs): string {
  return JSON.stringify([attrs.filterSize, attrs.strides, attrs.pad, attrs.dimRoundingMode ?? null]);
}

/**
 * The argmax taps the forward MaxPool recorded for `output`, if it computed `output` from `input`
 * with these pooling attributes; undefined otherwise (the gradient then scans the windows itself).
 */
export function recordedMaxTaps(input: TensorInfo, output: TensorInfo, attrs: PoolAttrs): number | undefined {
  const entry = recorded.get(output.dataId);
  return entry && entry.input === input.dataId && entry.attrs === attrsKey(attrs) ? entry.taps : undefined;
}

/**
 * Pools `x` into a new float32 output whose wasm allocation also holds, right after the values, each
 * value's window tap (int32): (row in window) · filterWidth + (column in window), counted from the
 * window's corner with padding, −1 for a window without a value above −∞. The taps are freed with the
 * output's memory (its last reference), so nothing is copied or freed separately.
 */
export function poolWithTaps(
  backend: BackendWasm,
  x: TensorInfo,
  info: backend_util.Conv2DInfo,
): { out: TensorInfo; taps: number } {
  const bytes = util.sizeFromShape(info.outShape) * 4;
  const block = malloc(backend, 2 * bytes);
  const out = backend.makeOutput(info.outShape, 'float32', block);
  const taps = block + bytes;
  simdKernels<MaxPoolKernels>(backend, 'max-pool').maxPool(pointer(backend, x), block, taps, ...windowGeometry(info));
  return { out, taps };
}

/** Adds to dx (zero-filled) the gradient of max pooling for dy, routed by `taps` (from poolWithTaps). */
export function routeByTaps(
  backend: BackendWasm,
  dy: TensorInfo,
  taps: number,
  dx: TensorInfo,
  info: backend_util.Conv2DInfo,
): void {
  simdKernels<MaxPoolKernels>(backend, 'max-pool').maxPoolGrad(
    pointer(backend, dy),
    taps,
    pointer(backend, dx),
    ...windowGeometry(info),
  );
}

function maxPool(args: { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: MaxPoolAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  if (engine().state.gradientDepth === 0 || x.dtype !== 'float32')
    return runKernel(MaxPool, backend, inputs, { ...attrs });
  const { out, taps } = poolWithTaps(backend, x, poolInfo(x.shape, attrs));
  recorded.set(out.dataId, { input: x.dataId, attrs: attrsKey(attrs), taps });
  return out;
}

export const maxPoolConfig: KernelConfig = {
  kernelName: MaxPool,
  backendName: 'wasm',
  kernelFunc: maxPool as unknown as KernelFunc,
};
