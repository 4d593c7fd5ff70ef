// _FusedMatMul (dense layer with bias and activation) with transposed operands: same fix as
// BatchMatMul — explicit transposes, then the original fused kernel.
import {
  _FusedMatMul,
  type _FusedMatMulAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { withExplicitTransposes } from './batch-matmul.ts';
import type { BackendWasm } from './wasm-ops.ts';

function fusedMatMul(args: {
  inputs: { a: TensorInfo; b: TensorInfo } & Record<string, TensorInfo>;
  backend: BackendWasm;
  attrs: _FusedMatMulAttrs;
}): TensorInfo {
  return withExplicitTransposes(_FusedMatMul, args.backend, args.inputs, { ...args.attrs });
}

export const fusedMatMulConfig: KernelConfig = {
  kernelName: _FusedMatMul,
  backendName: 'wasm',
  kernelFunc: fusedMatMul as unknown as KernelFunc,
};
