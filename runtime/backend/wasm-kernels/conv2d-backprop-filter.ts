// Conv2DBackpropFilter (the weight gradient of a convolution), which TF.js 4.22's wasm backend lacks.
// dW[i,j,ci,co] = Σ_{n,ho,wo} xpad[n, ho·s+i, wo·s+j, ci] · dy[n,ho,wo,co], i.e. dW = colsᵀ · dy with
// cols = im2col(x) [N·Ho·Wo, kh·kw·Cin]. We build colsᵀ directly and multiply in WebAssembly SIMD
// (simd/matmul.wat) without packing either operand: XNNPACK's matrix multiply packs its right operand
// dy [N·Ho·Wo, Cout], new every step, on each call, which cost more than the product itself for
// conv16's [9, 100352] · [100352, 16].
import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { simdKernels } from './simd.ts';
import { heapView, pointer, release, zeros, type BackendWasm } from './wasm-ops.ts';

/** simd/matmul.wat: out[m, n] += a[m, k] · b[k, n] (byte offsets), k in chunks of kChunk rows. */
interface MatmulKernels {
  matmulAccumulate(a: number, b: number, out: number, m: number, k: number, n: number, kChunk: number): void;
}

/** Floats a block of work may read (16 KiB, well inside any L1 data cache). */
const L1_FLOATS = 4096;

/**
 * Writes colsᵀ rows (i, j, every ci) at output rows q = rows.first, rows.first + rows.step, … and columns
 * [cFirst, cEnd), with 0 where the tap falls in the padding. Output rows go in blocks whose input
 * rows stay in L1 while each channel's strided gather reads them; the writes are contiguous runs.
 */
function gather(
  dst: Float32Array,
  src: Float32Array,
  info: backend_util.Conv2DInfo,
  tap: { i: number; j: number },
  rows: { first: number; step: number },
  cFirst: number,
  cEnd: number,
): void {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: cin } = info;
  const { outHeight: ho, outWidth: wo, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { i, j } = tap;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const outputRows = n * ho;
  const columns = outputRows * wo;
  const step = sw * cin;
  // Output columns whose input column c·sw + j − left lies inside the image: [cLo, cHi).
  const cLo = Math.min(cEnd, Math.max(cFirst, Math.ceil((left - j) / sw)));
  const cHi = Math.max(cLo, Math.min(cEnd, Math.floor((w - 1 + left - j) / sw) + 1));
  const blockSpan = Math.max(1, Math.floor(L1_FLOATS / (w * cin))) * rows.step;
  for (let q0 = rows.first; q0 < outputRows; q0 += blockSpan) {
    const q1 = Math.min(outputRows, q0 + blockSpan);
    for (let ci = 0; ci < cin; ci++) {
      const rowStart = ((i * kw + j) * cin + ci) * columns;
      for (let q = q0; q < q1; q += rows.step) {
        const to = rowStart + q * wo;
        const b = Math.floor(q / ho);
        const row = (q - b * ho) * sh + i - top;
        if (row < 0 || row >= h) {
          for (let c = cFirst; c < cEnd; c++) dst[to + c] = 0;
          continue;
        }
        for (let c = cFirst; c < cLo; c++) dst[to + c] = 0;
        let from = ((b * h + row) * w + cLo * sw + j - left) * cin + ci;
        for (let c = cLo; c < cHi; c++, from += step) dst[to + c] = src[from];
        for (let c = cHi; c < cEnd; c++) dst[to + c] = 0;
      }
    }
  }
}

/**
 * colsᵀ[(i·kw + j)·Cin + ci, (n·Ho + ho)·Wo + wo] = x[n, ho·sh + i − top, wo·sw + j − left, ci],
 * 0 where that falls in the padding. At stride 1 neighbouring taps see the same pixels one output
 * position apart, so their rows are the previous tap's shifted by one (memmove) and only the
 * last output column (j) or output row (i) is gathered afresh: a 3×3 filter gathers 1/9 of colsᵀ.
 */
function im2colTransposed(backend: BackendWasm, x: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize: n, inChannels: cin, outHeight: ho, outWidth: wo, filterHeight: kh, filterWidth: kw } = info;
  const columns = n * ho * wo;
  const out = backend.makeOutput([kh * kw * cin, columns], 'float32');
  const src = heapView(backend, x);
  const dst = heapView(backend, out);
  const tapRows = cin * columns; // floats per tap (i, j): its Cin rows are contiguous
  const allRows = { first: 0, step: 1 };
  for (let i = 0; i < kh; i++) {
    const iStart = i * kw * tapRows;
    if (i > 0 && info.strideHeight === 1) {
      dst.copyWithin(iStart, iStart - kw * tapRows + wo, iStart);
      for (let j = 0; j < kw; j++) gather(dst, src, info, { i, j }, { first: ho - 1, step: ho }, 0, wo);
      continue;
    }
    for (let j = 0; j < kw; j++) {
      const start = iStart + j * tapRows;
      if (j > 0 && info.strideWidth === 1) {
        dst.copyWithin(start, start - tapRows + 1, start);
        gather(dst, src, info, { i, j }, allRows, wo - 1, wo);
      } else {
        gather(dst, src, info, { i, j }, allRows, 0, wo);
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
  const { batchSize: n, outHeight: ho, outWidth: wo, outChannels: cout, filterHeight, filterWidth, inChannels } = info;
  const colsT = im2colTransposed(backend, x, info);
  const dW = zeros(backend, [...filterShape]);
  simdKernels<MatmulKernels>(backend, 'matmul').matmulAccumulate(
    pointer(backend, colsT),
    pointer(backend, dy),
    pointer(backend, dW),
    filterHeight * filterWidth * inChannels,
    n * ho * wo,
    cout,
    // Rows of dy per chunk: a chunk stays in L1 while every row of colsᵀ passes over it.
    Math.max(1, Math.floor(L1_FLOATS / cout)),
  );
  release(backend, colsT);
  return dW;
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
