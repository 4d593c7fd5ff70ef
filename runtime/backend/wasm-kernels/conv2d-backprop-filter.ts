// Conv2DBackpropFilter (the weight gradient of a convolution), which TF.js 4.22's wasm backend lacks.
// dW[i,j,ci,co] = Σ_{n,ho,wo} xpad[n, ho·s+i, wo·s+j, ci] · dy[n,ho,wo,co], summed in WebAssembly SIMD
// (simd/conv2d-backprop-filter.wat) straight from x and dy: no im2col copy, and no matrix multiply that
// packs dy (XNNPACK's packs its right operand, new every step, on each call).
import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { simdKernels, windowGeometry } from './simd.ts';
import { pointer, zeros, type BackendWasm } from './wasm-ops.ts';

/** simd/conv2d-backprop-filter.wat: x, dy, dW (byte offsets), the window geometry, output channels, rows per chunk. */
interface FilterGradientKernels {
  conv2dBackpropFilter(x: number, dy: number, dW: number, ...geometryAndChunk: number[]): void;
}

/** Floats of dy a chunk of output rows may hold (16 KiB, well inside any L1 data cache). */
const L1_FLOATS = 4096;

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
  const { outWidth, outChannels } = info;
  const dW = zeros(backend, [...filterShape]);
  simdKernels<FilterGradientKernels>(backend, 'conv2d-backprop-filter').conv2dBackpropFilter(
    pointer(backend, x),
    pointer(backend, dy),
    pointer(backend, dW),
    ...windowGeometry(info),
    outChannels,
    // dy's chunk stays in L1 while every (i, j, ci) passes over it.
    Math.max(1, Math.floor(L1_FLOATS / (outWidth * outChannels))),
  );
  return dW;
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
