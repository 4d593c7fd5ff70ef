// Small building blocks the replacement wasm kernels share: running another wasm kernel (the original
// one when we replaced it), transposing, typed views of the wasm heap, and releasing intermediates.
import {
  getKernel,
  type KernelConfig,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type { BackendWasm };

/** The kernel configs we replaced, so replacements can delegate to them and unpatching restores them. */
export const originalKernels = new Map<string, KernelConfig>();

/** Runs a wasm kernel by name: the original one if we replaced it, else whatever is registered. */
export function runKernel(
  name: string,
  backend: BackendWasm,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const config = originalKernels.get(name) ?? getKernel(name, 'wasm');
  if (!config) throw new Error(`wasm kernel ${name} is not registered`);
  return config.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

export function transpose(backend: BackendWasm, x: TensorInfo, perm: number[]): TensorInfo {
  return runKernel('Transpose', backend, { x }, { perm });
}

/** Swaps the last two axes (the matrix transpose of a batch of matrices). */
export function transposeLastTwo(backend: BackendWasm, x: TensorInfo): TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
  return transpose(backend, x, perm);
}

/**
 * A Float32Array view of a tensor's memory on the wasm heap. Take views only after the last
 * allocation (makeOutput or a kernel call), which may grow the heap and detach older views.
 */
export function heapView(backend: BackendWasm, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** Where a tensor's data starts in the wasm memory (a byte offset), for the kernels in simd/. */
export function pointer(backend: BackendWasm, info: TensorInfo): number {
  return backend.getMemoryOffset(info.dataId);
}

/**
 * Allocates `bytes` on the wasm heap (emscripten's malloc, which TF.js's typings leave out). Pass the
 * offset to makeOutput: that is TF.js's protocol for memory a kernel allocated, and disposeData frees it.
 */
export function malloc(backend: BackendWasm, bytes: number): number {
  // `>>> 0` as in TF.js: malloc's result is a signed int32.
  return (backend.wasm as unknown as { _malloc(bytes: number): number })._malloc(bytes) >>> 0;
}

/** A zero-filled float32 output tensor on the wasm heap (makeOutput leaves memory uninitialised). */
export function zeros(backend: BackendWasm, shape: number[]): TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  heapView(backend, out).fill(0);
  return out;
}

export function release(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}
