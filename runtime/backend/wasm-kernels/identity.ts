// Identity without a copy: the output shares the input's memory (one more reference to it), as on the
// cpu backend. The wasm backend copies, and TF.js's gradient tape clones (Identity) every tensor it
// saves for the backward pass, so a training step copied each layer's activations once more. Sharing
// also keeps the dataId, under which max-pool.ts finds the argmax it recorded for a saved output.
import { Identity, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { runKernel, type BackendWasm } from './wasm-ops.ts';

function identity(args: { inputs: { x: TensorInfo }; backend: BackendWasm }): TensorInfo {
  const { inputs, backend } = args;
  const { x } = inputs;
  if (x.dtype === 'string') return runKernel(Identity, backend, inputs);
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelFunc,
};
