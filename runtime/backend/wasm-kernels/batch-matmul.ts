// BatchMatMul with a transposed operand (every dense-layer gradient) runs ~10× slower on the wasm
// backend than the plain product, so transpose the operand explicitly and take the plain path.
import {
  BatchMatMul,
  type BatchMatMulAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { release, runKernel, transposeLastTwo, type BackendWasm } from './wasm-ops.ts';

/**
 * Runs the original kernel `name` on a and b with both transpose flags cleared, transposing the
 * flagged operands first. Shared by BatchMatMul and _FusedMatMul (whose bias/activation inputs and
 * attributes pass through unchanged, so the fused semantics stay the original kernel's).
 */
export function withExplicitTransposes(
  name: string,
  backend: BackendWasm,
  inputs: { a: TensorInfo; b: TensorInfo } & Record<string, TensorInfo>,
  attrs: { transposeA: boolean; transposeB: boolean } & Record<string, unknown>,
): TensorInfo {
  if (!attrs.transposeA && !attrs.transposeB) return runKernel(name, backend, inputs, { ...attrs } as never);
  const a = attrs.transposeA ? transposeLastTwo(backend, inputs.a) : inputs.a;
  const b = attrs.transposeB ? transposeLastTwo(backend, inputs.b) : inputs.b;
  const out = runKernel(name, backend, { ...inputs, a, b }, {
    ...attrs,
    transposeA: false,
    transposeB: false,
  } as never);
  if (attrs.transposeA) release(backend, a);
  if (attrs.transposeB) release(backend, b);
  return out;
}

function batchMatMul(args: {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: BackendWasm;
  attrs: BatchMatMulAttrs;
}): TensorInfo {
  return withExplicitTransposes(BatchMatMul, args.backend, args.inputs, { ...args.attrs });
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as KernelFunc,
};
