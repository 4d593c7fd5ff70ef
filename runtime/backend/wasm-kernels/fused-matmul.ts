// _FusedMatMul (dense layer with bias and activation): as BatchMatMul, the SIMD product, which adds a
// bias row and applies ReLU itself; other activations (and PReLU weights) go to the original kernel.
import {
  _FusedMatMul,
  type _FusedMatMulAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { matMul } from './batch-matmul.ts';
import type { BackendWasm } from './wasm-ops.ts';

function fusedMatMul(args: {
  inputs: { a: TensorInfo; b: TensorInfo } & Record<string, TensorInfo>;
  backend: BackendWasm;
  attrs: _FusedMatMulAttrs;
}): TensorInfo {
  const { inputs, attrs } = args;
  const activation = attrs.activation ?? 'linear';
  const simd = (activation === 'linear' || activation === 'relu') && !inputs.preluActivationWeights;
  const epilogue = simd ? { bias: inputs.bias, relu: activation === 'relu' } : undefined;
  return matMul(_FusedMatMul, args.backend, inputs, { ...attrs }, epilogue);
}

export const fusedMatMulConfig: KernelConfig = {
  kernelName: _FusedMatMul,
  backendName: 'wasm',
  kernelFunc: fusedMatMul as unknown as KernelFunc,
};
