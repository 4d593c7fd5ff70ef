// BatchMatMul with a transposed operand (every dense-layer gradient) runs ~10× slower on the wasm
// backend than the plain product: the WebAssembly SIMD product of simd-matmul.ts reads a transposed left
// operand in place; a transposed right operand, and whatever goes to the original kernel, is
// transposed explicitly first.
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
 * The product of a and b as the transpose flags say, shared by BatchMatMul and _FusedMatMul: in SIMD
 * (which reads a transposed a in place; a transposed b is transposed first) when `epilogue` (the bias
 * and activation the SIMD product can apply) is given and the shapes allow, else by the original kernel
 * `name` on explicitly transposed operands, with the other inputs and attributes passed through.
 */
export function matMul(
  name: string,
  backend: BackendWasm,
  inputs: { a: TensorInfo; b: TensorInfo } & Record<string, TensorInfo>,
  attrs: { transposeA: boolean; transposeB: boolean } & Record<string, unknown>,
  epilogue: Epilogue | undefined,
): TensorInfo {
  const b = attrs.transposeB ? transposeLastTwo(backend, inputs.b) : inputs.b;
  let out = epilogue && simdMatMul(backend, inputs.a, attrs.transposeA, b, epilogue);
  if (!out) {
    const a = attrs.transposeA ? transposeLastTwo(backend, inputs.a) : inputs.a;
    const plain = { ...attrs, transposeA: false, transposeB: false };
    out = runKernel(name, backend, { ...inputs, a, b }, plain as never);
    if (attrs.transposeA) release(backend, a);
  }
  if (attrs.transposeB) release(backend, b);
  return out;
}

function batchMatMul(args: {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: BackendWasm;
  attrs: BatchMatMulAttrs;
}): TensorInfo {
  return matMul(BatchMatMul, args.backend, args.inputs, { ...args.attrs }, { relu: false });
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as KernelFunc,
};
