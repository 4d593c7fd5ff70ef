// MaxPool that, while a gradient tape records, also keeps each output's argmax (which tap of its window
// holds the first strictly largest value, the cpu backend's choice on ties), so MaxPoolGrad can route dy
// by it instead of scanning every window again. Both run in WebAssembly SIMD (simd/max-pool.wat), four
// channels at a time. Outside a tape (inference) it is the original XNNPACK kernel. The taps live in a
// WeakMap keyed by the output's dataId: they go when the output tensor goes.
import {
  backend_util,
  engine,
  MaxPool,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { simdKernels } from './simd.ts';
import { pointer, release, runKernel, type BackendWasm } from './wasm-ops.ts';

/** simd/max-pool.wat: pointers (byte offsets) first, then the pooling geometry (see `geometry`). */
interface MaxPoolKernels {
  maxPool(x: number, out: number, taps: number, ...geometry: number[]): void;
  maxPoolGrad(dy: number, taps: number, dx: number, ...geometry: number[]): void;
}

interface RecordedTaps {
  input: object;
  attrs: string;
  taps: Int32Array;
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

function geometry(info: backend_util.Conv2DInfo): number[] {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, padInfo } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  return [
    batchSize,
    inHeight,
    inWidth,
    inChannels,
    outHeight,
    outWidth,
    strideHeight,
    strideWidth,
    filterHeight,
  ].concat([filterWidth, padInfo.top, padInfo.left]);
}

function attrsKey(attrs: PoolAttrs): string {
  return JSON.stringify([attrs.filterSize, attrs.strides, attrs.pad, attrs.dimRoundingMode ?? null]);
}

/**
 * The argmax taps the forward MaxPool recorded for `output`, if it computed `output` from `input`
 * with these pooling attributes; undefined otherwise (the gradient then scans the windows itself).
 */
export function recordedMaxTaps(input: TensorInfo, output: TensorInfo, attrs: PoolAttrs): Int32Array | undefined {
  const entry = recorded.get(output.dataId);
  return entry && entry.input === input.dataId && entry.attrs === attrsKey(attrs) ? entry.taps : undefined;
}

/**
 * Pools `x` into `out` (float32, the output shape) and returns a new int32 tensor of the same shape
 * holding each value's window tap: (row in window) · filterWidth + (column in window), counted from
 * the window's corner with padding, −1 for a window without a value above −∞. The caller releases it.
 */
export function poolWithTaps(backend: BackendWasm, x: TensorInfo, out: TensorInfo, info: backend_util.Conv2DInfo) {
  const taps = backend.makeOutput(info.outShape, 'int32');
  simdKernels<MaxPoolKernels>(backend, 'max-pool').maxPool(
    pointer(backend, x),
    pointer(backend, out),
    pointer(backend, taps),
    ...geometry(info),
  );
  return taps;
}

/** dx = the gradient of max pooling for dy, routed by `taps` (from poolWithTaps). */
export function routeByTaps(
  backend: BackendWasm,
  dy: TensorInfo,
  taps: TensorInfo,
  dx: TensorInfo,
  info: backend_util.Conv2DInfo,
) {
  simdKernels<MaxPoolKernels>(backend, 'max-pool').maxPoolGrad(
    pointer(backend, dy),
    pointer(backend, taps),
    pointer(backend, dx),
    ...geometry(info),
  );
}

function maxPool(args: { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: MaxPoolAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  if (engine().state.gradientDepth === 0 || x.dtype !== 'float32')
    return runKernel(MaxPool, backend, inputs, { ...attrs });
  const info = poolInfo(x.shape, attrs);
  const out = backend.makeOutput(info.outShape, 'float32');
  const taps = poolWithTaps(backend, x, out, info);
  // Kept on the JavaScript heap, so the garbage collector frees them with the output's dataId.
  recorded.set(out.dataId, {
    input: x.dataId,
    attrs: attrsKey(attrs),
    taps: (backend.typedArrayFromHeap(taps) as Int32Array).slice(),
  });
  release(backend, taps);
  return out;
}

export const maxPoolConfig: KernelConfig = {
  kernelName: MaxPool,
  backendName: 'wasm',
  kernelFunc: maxPool as unknown as KernelFunc,
};
