// MaxPool that, while a gradient tape records, also keeps each output's argmax (the flat input index of
// the first strictly largest value of its window, the cpu backend's choice on ties), so MaxPoolGrad can
// scatter dy by index instead of scanning every window again. Outside a tape (inference) it is the
// original XNNPACK kernel. The positions live in a WeakMap keyed by the output's dataId: they go when
// the output tensor goes.
import {
  backend_util,
  engine,
  MaxPool,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { heapView, runKernel, type BackendWasm } from './wasm-ops.ts';

interface RecordedPositions {
  input: object;
  attrs: string;
  positions: Int32Array;
}

const recorded = new WeakMap<object, RecordedPositions>();

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
 * The argmax positions the forward MaxPool recorded for `output`, if it computed `output` from `input`
 * with these pooling attributes; undefined otherwise (the gradient then scans the windows itself).
 */
export function recordedMaxPositions(input: TensorInfo, output: TensorInfo, attrs: PoolAttrs): Int32Array | undefined {
  const entry = recorded.get(output.dataId);
  return entry && entry.input === input.dataId && entry.attrs === attrsKey(attrs) ? entry.positions : undefined;
}

/**
 * Writes the window maxima of `x` to `out` and their flat input indices to `positions` (−1 for a window
 * without a value above −∞). Scans rows, then columns, then channels, keeping the first strict maximum.
 */
export function maxPoolWithPositions(
  x: Float32Array,
  info: backend_util.Conv2DInfo,
  out: Float32Array,
  positions: Int32Array,
): void {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ch, outHeight: ho, outWidth: wo } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < ho; r++) {
      const r0 = r * sh - top;
      const rMin = Math.max(0, r0);
      const rMax = Math.min(h, r0 + fh);
      for (let c = 0; c < wo; c++) {
        const c0 = c * sw - left;
        const cMin = Math.max(0, c0);
        const cMax = Math.min(w, c0 + fw);
        const g = ((b * ho + r) * wo + c) * ch;
        out.fill(-Infinity, g, g + ch);
        positions.fill(-1, g, g + ch);
        for (let xr = rMin; xr < rMax; xr++) {
          for (let xc = cMin; xc < cMax; xc++) {
            const base = ((b * h + xr) * w + xc) * ch;
            for (let d = 0; d < ch; d++) {
              const v = x[base + d];
              if (v > out[g + d]) {
                out[g + d] = v;
                positions[g + d] = base + d;
              }
            }
          }
        }
      }
    }
  }
}

function maxPool(args: { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: MaxPoolAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  if (engine().state.gradientDepth === 0 || x.dtype !== 'float32')
    return runKernel(MaxPool, backend, inputs, { ...attrs });
  const info = poolInfo(x.shape, attrs);
  const out = backend.makeOutput(info.outShape, 'float32');
  const positions = new Int32Array(info.outShape.reduce((a, b) => a * b, 1));
  maxPoolWithPositions(heapView(backend, x), info, heapView(backend, out), positions);
  recorded.set(out.dataId, { input: x.dataId, attrs: attrsKey(attrs), positions });
  return out;
}

export const maxPoolConfig: KernelConfig = {
  kernelName: MaxPool,
  backendName: 'wasm',
  kernelFunc: maxPool as unknown as KernelFunc,
};
