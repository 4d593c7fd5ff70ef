// Conv2DBackpropFilter (the weight gradient of a convolution), which TF.js 4.22's wasm backend lacks.
// dW[i,j,ci,co] = Σ_{n,ho,wo} xpad[n, ho·s+i, wo·s+j, ci] · dy[n,ho,wo,co] is itself a forward
// convolution: x as [Cin,H,W,N] (batch ↔ channels) convolved with dy as a [Ho,Wo,N,Cout] filter at
// dilation = stride, which runs on XNNPACK instead of a scalar loop.
import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { heapView, release, runKernel, transpose, zeros, type BackendWasm } from './wasm-ops.ts';

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
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: cin } = info;
  const { outHeight: ho, outWidth: wo, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  // Exactly the padded rows/columns the gradient reads; anything beyond is cropped.
  const hp = kh + (ho - 1) * sh;
  const wp = kw + (wo - 1) * sw;
  const top = info.padInfo.top;
  const left = info.padInfo.left;

  // xT[ci, r+top, c+left, n] = x[n, r, c, ci]: pad and transpose in one pass.
  const xT = zeros(backend, [cin, hp, wp, n]);
  const src = heapView(backend, x);
  const dst = heapView(backend, xT);
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < h; r++) {
      const rp = r + top;
      if (rp < 0 || rp >= hp) continue;
      for (let c = 0; c < w; c++) {
        const cp = c + left;
        if (cp < 0 || cp >= wp) continue;
        const from = ((b * h + r) * w + c) * cin;
        let to = (rp * wp + cp) * n + b;
        for (let ci = 0; ci < cin; ci++, to += hp * wp * n) dst[to] = src[from + ci];
      }
    }
  }
  const dyT = transpose(backend, dy, [1, 2, 0, 3]);
  const grad = runKernel(
    'Conv2D',
    backend,
    { x: xT, filter: dyT },
    { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [sh, sw] },
  );
  const dw = transpose(backend, grad, [1, 2, 0, 3]);
  release(backend, xT, dyT, grad);
  return dw;
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
