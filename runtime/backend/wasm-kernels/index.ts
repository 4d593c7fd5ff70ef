// Installs the replacement kernels on the wasm backend: the missing Conv2DBackpropFilter, faster
// versions of gradient kernels that are slow as shipped, and one of our own, the fused Adam update that
// runtime/train/optimizer.ts uses where it is registered (see docs/performance.md for the numbers).
// The replaced configs are kept so replacements can delegate to them and restoreWasmKernels() can undo.
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { adamUpdateConfig } from './adam.ts';
import { batchMatMulConfig } from './batch-matmul.ts';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.ts';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.ts';
import { fusedMatMulConfig } from './fused-matmul.ts';
import { identityConfig } from './identity.ts';
import { maxPoolConfig } from './max-pool.ts';
import { maxPoolGradConfig } from './max-pool-grad.ts';
import { sumConfig } from './sum.ts';
import { originalKernels } from './wasm-ops.ts';

const REPLACEMENTS: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  batchMatMulConfig,
  fusedMatMulConfig,
  identityConfig,
  maxPoolConfig,
  maxPoolGradConfig,
  sumConfig,
  adamUpdateConfig,
];

export const WASM_KERNEL_NAMES: readonly string[] = REPLACEMENTS.map((config) => config.kernelName);

const installed = new Set<string>();

/**
 * Registers the replacement kernels named (default: all) for backendName 'wasm'; already installed
 * ones are left alone. Call after the wasm backend is initialised, so the originals were set up.
 */
export function patchWasmKernels(names: readonly string[] = WASM_KERNEL_NAMES): void {
  for (const name of names) {
    const replacement = REPLACEMENTS.find((config) => config.kernelName === name);
    if (!replacement) throw new Error(`no replacement wasm kernel named ${name}`);
    if (installed.has(name)) continue;
    const original = getKernel(name, 'wasm');
    if (original) {
      originalKernels.set(name, original);
      unregisterKernel(name, 'wasm');
    }
    // Keep the original's setup (it binds the C++ entry point the delegate calls) should the wasm
    // backend be re-initialised later.
    registerKernel({ ...replacement, setupFunc: original?.setupFunc, disposeFunc: original?.disposeFunc });
    installed.add(name);
  }
}

/** Puts the shipped kernels back (for benchmarks comparing patched and unpatched). */
export function restoreWasmKernels(): void {
  for (const name of installed) {
    unregisterKernel(name, 'wasm');
    const original = originalKernels.get(name);
    if (original) registerKernel(original);
    originalKernels.delete(name);
  }
  installed.clear();
}

/** Names of the replacement kernels currently installed. */
export function patchedWasmKernels(): string[] {
  return [...installed];
}
