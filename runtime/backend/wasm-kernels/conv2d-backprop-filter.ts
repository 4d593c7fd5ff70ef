// Conv2DBackpropFilter (the weight gradient of a convolution), which TF.js 4.22's wasm backend lacks.
// dW[i,j,ci,co] = Σ_{n,ho,wo} xpad[n, ho·s+i, wo·s+j, ci] · dy[n,ho,wo,co], i.e. dW = colsᵀ · dy with
// cols = im2col(x) [N·Ho·Wo, kh·kw·Cin]. We build colsᵀ directly, so the product is XNNPACK's plain
// (non-transposed) matrix multiply, its fast path, with no transpose before or after.
import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { heapView, release, runKernel, type BackendWasm } from './wasm-ops.ts';

/** Input floats a block of output rows may read (16 KiB, well inside any L1 data cache). */
const L1_FLOATS = 4096;

/** Whether some filter tap of some output position falls outside the image. */
function readsPadding(info: backend_util.Conv2DInfo): boolean {
  const { padInfo, outHeight: ho, outWidth: wo, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  return (
    padInfo.top > 0 || padInfo.left > 0 || (ho - 1) * sh + kh - padInfo.top > info.inHeight || (wo - 1) * sw + kw - padInfo.left > info.inWidth
  );
}

/**
 * colsᵀ[(i·kw + j)·Cin + ci, (n·Ho + ho)·Wo + wo] = x[n, ho·sh + i − top, wo·sw + j − left, ci],
 * 0 where that falls in the padding.
 */
function im2colTransposed(backend: BackendWasm, x: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: cin } = info;
  const { outHeight: ho, outWidth: wo, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const columns = n * ho * wo;
  const step = sw * cin;
  const out = backend.makeOutput([kh * kw * cin, columns], 'float32');
  const src = heapView(backend, x);
  const dst = heapView(backend, out);
  // Taps in the padding stay 0; one memset beats zeroing them one by one.
  if (readsPadding(info)) dst.fill(0);
  // Each output row (n, ho) reads one input row. Output rows go in blocks whose input rows stay in
  // L1 while every channel's strided gather reads them; the writes are contiguous runs per channel.
  const outputRows = n * ho;
  const blockRows = Math.max(1, Math.floor(L1_FLOATS / (w * cin)));
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      // Output columns whose input column wo·sw + j − left lies inside the image: [woFirst, woEnd).
      const woFirst = Math.min(wo, Math.max(0, Math.ceil((left - j) / sw)));
      const woEnd = Math.max(woFirst, Math.min(wo, Math.floor((w - 1 + left - j) / sw) + 1));
      const firstRow = (i * kw + j) * cin;
      for (let q0 = 0; q0 < outputRows; q0 += blockRows) {
        const q1 = Math.min(outputRows, q0 + blockRows);
        for (let ci = 0; ci < cin; ci++) {
          let to = (firstRow + ci) * columns + q0 * wo;
          for (let q = q0; q < q1; q++, to += wo) {
            const b = Math.floor(q / ho);
            const row = (q - b * ho) * sh + i - top;
            if (row < 0 || row >= h) continue;
            let from = ((b * h + row) * w + woFirst * sw + j - left) * cin + ci;
            for (let c = woFirst; c < woEnd; c++, from += step) dst[to + c] = src[from];
          }
        }
      }
    }
  }
  return out;
}

function conv2DBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  if (info.dataFormat !== 'channelsLast') {
    throw new Error(`wasm Conv2DBackpropFilter supports dataFormat NHWC only, got ${dataFormat}`);
  }
  const { batchSize: n, outHeight: ho, outWidth: wo, outChannels: cout } = info;
  const positions = n * ho * wo;
  const colsT = im2colTransposed(backend, x, info);
  const dy2d = runKernel('Reshape', backend, { x: dy }, { shape: [positions, cout] });
  const product = runKernel('BatchMatMul', backend, { a: colsT, b: dy2d }, { transposeA: false, transposeB: false });
  release(backend, colsT, dy2d);
  // The product [1, kh·kw·Cin, Cout] is dW in row-major order already: relabel its shape.
  return { ...product, shape: [...filterShape] };
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
