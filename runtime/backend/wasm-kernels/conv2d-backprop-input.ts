// Conv2DBackpropInput (the input gradient of a convolution). The wasm backend ships a scalar loop;
// this is the same sum written as a forward convolution on XNNPACK: dy zero-dilated by the stride and
// padded by (kernel − 1 − pad), convolved with the spatially reversed filter with in/out swapped.
import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { heapView, release, runKernel, zeros, type BackendWasm } from './wasm-ops.ts';

function conv2DBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  if (info.dataFormat !== 'channelsLast') return runKernel(Conv2DBackpropInput, backend, inputs, { ...attrs });
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: cin, outChannels: cout } = info;
  const { outHeight: ho, outWidth: wo, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const top = kh - 1 - info.padInfo.top;
  const left = kw - 1 - info.padInfo.left;
  // Sized so a 'valid' stride-1 convolution with the kh×kw filter gives back exactly h×w.
  const hd = h + kh - 1;
  const wd = w + kw - 1;

  const dilated = zeros(backend, [n, hd, wd, cout]);
  const flipped = backend.makeOutput([kh, kw, cout, cin], 'float32');
  const dyData = heapView(backend, dy);
  const dilatedData = heapView(backend, dilated);
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < ho; r++) {
      const rd = r * sh + top;
      if (rd < 0 || rd >= hd) continue;
      for (let c = 0; c < wo; c++) {
        const cd = c * sw + left;
        if (cd < 0 || cd >= wd) continue;
        const from = ((b * ho + r) * wo + c) * cout;
        dilatedData.set(dyData.subarray(from, from + cout), ((b * hd + rd) * wd + cd) * cout);
      }
    }
  }
  // flipped[i,j,co,ci] = filter[kh−1−i, kw−1−j, ci, co]
  const filterData = heapView(backend, filter);
  const flippedData = heapView(backend, flipped);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const from = ((kh - 1 - i) * kw + (kw - 1 - j)) * cin * cout;
      const to = (i * kw + j) * cout * cin;
      for (let ci = 0; ci < cin; ci++) {
        for (let co = 0; co < cout; co++) flippedData[to + co * cin + ci] = filterData[from + ci * cout + co];
      }
    }
  }
  const dx = runKernel(
    'Conv2D',
    backend,
    { x: dilated, filter: flipped },
    { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] },
  );
  release(backend, dilated, flipped);
  return dx;
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelFunc,
};
