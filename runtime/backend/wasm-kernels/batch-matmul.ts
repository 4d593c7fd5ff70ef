// BatchMatMul with a transposed operand (every dense-layer gradient) runs ~10× slower on the wasm
// backend than the plain product, so transpose the operand explicitly and take the plain path: the
// WebAssembly SIMD product of simd-matmul.ts, or the original kernel for what that does not cover.
import {
  BatchMatMul,
  type BatchMatMulAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { simdMatMul, type Epilogue } from './simd-matmul.ts';
import { release, runKernel, transposeLastTwo, type BackendWasm } from './wasm-ops.ts';

/**
 * The product of a and b with both transpose flags cleared, transposing the flagged operands first:
 * in SIMD when `epilogue` (the bias and activation the SIMD product can apply) is given and the shapes
 * allow, else by the original kernel `name`. Shared by BatchMatMul and _FusedMatMul (whose
 * bias/activation inputs and attributes pass through unchanged to the original kernel).
 */
export function withExplicitTransposes(
  name: string,
  backend: BackendWasm,
  inputs: { a: TensorInfo; b: TensorInfo } & Record<string, TensorInfo>,
  attrs: { transposeA: boolean; transposeB: boolean } & Record<string, unknown>,
  epilogue: Epilogue | undefined,
): TensorInfo {
  const a = attrs.transposeA ? transposeLastTwo(backend, inputs.a) : inputs.a;
  const b = attrs.transposeB ? transposeLastTwo(backend, inputs.b) : inputs.b;
  const plain = { ...attrs, transposeA: false, transposeB: false };
  const out =
    (epilogue && simdMatMul(backend, a, b, epilogue)) ?? runKernel(name, backend, { ...inputs, a, b }, plain as never);
  if (attrs.transposeA) release(backend, a);
  if (attrs.transposeB) release(backend, b);
  return out;
}

function batchMatMul(args: {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: BackendWasm;
  attrs: BatchMatMulAttrs;
}): TensorInfo {
  return withExplicitTransposes(BatchMatMul, args.backend, args.inputs, { ...args.attrs }, { relu: false });
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as KernelFunc,
};
