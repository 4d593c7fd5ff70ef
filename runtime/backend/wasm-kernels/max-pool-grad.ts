// MaxPoolGrad as one typed-array pass (the wasm backend's own is slow). Semantics follow the cpu
// backend exactly: each output's gradient goes to the first strictly-largest input of its window,
// scanning rows then columns, padding excluded.
import {
  backend_util,
  MaxPoolGrad,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { heapView, zeros, type BackendWasm } from './wasm-ops.ts';

function maxPoolGrad(args: {
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  backend: BackendWasm;
  attrs: MaxPoolGradAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ch, outHeight: ho, outWidth: wo } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;

  const dx = zeros(backend, input.shape);
  const x = heapView(backend, input);
  const dyData = heapView(backend, dy);
  const dxData = heapView(backend, dx);
  const best = new Float32Array(ch);
  const where = new Int32Array(ch);
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < ho; r++) {
      const r0 = r * sh - top;
      const rMin = Math.max(0, r0);
      const rMax = Math.min(h, r0 + fh);
      for (let c = 0; c < wo; c++) {
        const c0 = c * sw - left;
        const cMin = Math.max(0, c0);
        const cMax = Math.min(w, c0 + fw);
        best.fill(-Infinity);
        where.fill(-1);
        for (let xr = rMin; xr < rMax; xr++) {
          for (let xc = cMin; xc < cMax; xc++) {
            const base = ((b * h + xr) * w + xc) * ch;
            for (let d = 0; d < ch; d++) {
              const v = x[base + d];
              if (v > best[d]) {
                best[d] = v;
                where[d] = base + d;
              }
            }
          }
        }
        const g = ((b * ho + r) * wo + c) * ch;
        for (let d = 0; d < ch; d++) if (where[d] >= 0) dxData[where[d]] += dyData[g + d];
      }
    }
  }
  return dx;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
