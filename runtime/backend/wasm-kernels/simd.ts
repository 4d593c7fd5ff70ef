// The hand-written WebAssembly SIMD kernels (simd/*.wat) instantiated on TF.js's own wasm memory, so
// they read and write tensors where they lie: arguments are byte offsets into that memory, and a heap
// that grows under them stays the same WebAssembly.Memory. Compiled once, instantiated once per memory
// (a re-initialised wasm backend has a new one). In Node TF.js always runs its single-threaded build,
// whose memory is not shared, as the modules' memory import declares.
import type { backend_util } from '@tensorflow/tfjs-core';
import { KERNEL_BINARIES } from './simd/binaries.ts';
import type { BackendWasm } from './wasm-ops.ts';

type KernelModule = keyof typeof KERNEL_BINARIES;

/** The part of the WebAssembly API used here (the project's libs, ES2022 and @types/node 20, do not type it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: { env: { memory: object } }) => { exports: object };
}
const { Module, Instance } = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

const compiled = new Map<KernelModule, object>();
const instances = new WeakMap<object, Map<KernelModule, object>>();

/** The emscripten module's exports include its WebAssembly.Memory; TF.js's typings leave `asm` out. */
function memoryOf(backend: BackendWasm): object {
  return (backend.wasm as unknown as { asm: { memory: object } }).asm.memory;
}

/** The exports of simd/<name>.wat, bound to the backend's memory. */
export function simdKernels<T>(backend: BackendWasm, name: KernelModule): T {
  const memory = memoryOf(backend);
  let bound = instances.get(memory);
  if (!bound) instances.set(memory, (bound = new Map()));
  let exports = bound.get(name);
  if (!exports) {
    let module = compiled.get(name);
    if (!module) compiled.set(name, (module = new Module(Buffer.from(KERNEL_BINARIES[name], 'base64'))));
    exports = new Instance(module, { env: { memory } }).exports;
    bound.set(name, exports);
  }
  return exports as T;
}

/**
 * The window geometry of a convolution or pooling, in the order the kernels of simd/max-pool.wat and
 * simd/conv2d-backprop-filter.wat take it after their pointers.
 */
export function windowGeometry(info: backend_util.Conv2DInfo): number[] {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { filterHeight, filterWidth, padInfo } = info;
  const sizes = [batchSize, inHeight, inWidth, inChannels, outHeight, outWidth];
  return [...sizes, strideHeight, strideWidth, filterHeight, filterWidth, padInfo.top, padInfo.left];
}
