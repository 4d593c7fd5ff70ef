// A kernel of our own: one Adam update of a variable as a single WebAssembly SIMD pass (simd/adam.wat)
// instead of the ten element-wise kernels runtime/train/optimizer.ts runs op by op, with the same
// operations in the same order (so the same float32 results). The optimizer uses it where the current
// backend has it registered (wasm with the replacement kernels) and runs op by op elsewhere.
import { util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernels } from './simd.ts';
import { pointer, type BackendWasm } from './wasm-ops.ts';

export const ADAM_UPDATE = 'ShiftlabAdamUpdate';

/**
 * The coefficients of one step; the kernel rounds each to float32, as a scalar tensor would be.
 * A type rather than an interface so that it passes as tf's NamedAttrMap (an index signature) as it is.
 */
export type AdamUpdateAttrs = {
  beta1: number;
  beta2: number;
  epsilon: number;
  lr: number;
  /** 1 − β1^t and 1 − β2^t. */
  correction1: number;
  correction2: number;
  /** L2 term added to the gradient (adam) and decay added to the update (adamw); 0 for none. */
  coupledDecay: number;
  decoupledDecay: number;
};

/** simd/adam.wat: byte offsets of x, g, m, v and the three outputs, the count, then the coefficients. */
interface AdamKernels {
  adam(...args: number[]): void;
}

function adamUpdate(args: {
  inputs: { x: TensorInfo; g: TensorInfo; m: TensorInfo; v: TensorInfo };
  backend: BackendWasm;
  attrs: AdamUpdateAttrs;
}): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { x, g, m, v } = inputs;
  const size = util.sizeFromShape(x.shape);
  if ([x, g, m, v].some((t) => t.dtype !== 'float32' || util.sizeFromShape(t.shape) !== size)) {
    throw new Error(`${ADAM_UPDATE} takes float32 tensors of one size`);
  }
  const outs = [x, m, v].map(() => backend.makeOutput(x.shape, 'float32'));
  const { beta1, beta2 } = attrs;
  simdKernels<AdamKernels>(backend, 'adam').adam(
    ...[x, g, m, v, ...outs].map((t) => pointer(backend, t)),
    size,
    beta1,
    1 - beta1,
    beta2,
    1 - beta2,
    attrs.correction1,
    attrs.correction2,
    attrs.epsilon,
    attrs.lr,
    attrs.coupledDecay,
    attrs.decoupledDecay,
  );
  return outs;
}

export const adamUpdateConfig: KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'wasm',
  kernelFunc: adamUpdate as unknown as KernelFunc,
};
