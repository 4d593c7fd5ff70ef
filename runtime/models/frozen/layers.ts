// TF.js layers models (Keras models saved by tensorflowjs, e.g. a MobileNet shipped inside an npm package) as
// frozen feature extractors, cut at a named layer: by default the input of the model's last dense layer, the
// same feature vector `load "model.json"` puts a new head on. `load` fine-tunes such a model; `layers` only
// reads it, so its features are computed once per split and cached like those of `onnx` and `graph`.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { resolve } from 'node:path';
import { headIndex } from '../model-json.ts';
import { readArtifacts } from '../persist.ts';
import { inBatches, type FrozenBackbone } from './backbone.ts';
import { ModelFileError } from './errors.ts';
import { prepareBatch } from './preprocess.ts';
import { NO_HEAD, requireLayer } from './layers-json.ts';
import { planInput, toDim, type FrozenOptions } from './signature.ts';

/** A layers model cut at its feature layer, as a frozen backbone. Needs a registered tfjs backend. */
export async function loadLayersBackbone(path: string, options: FrozenOptions = {}): Promise<FrozenBackbone> {
  const file = resolve(path);
  let network: tfl.LayersModel;
  try {
    network = await tfl.loadLayersModel(tf.io.fromMemory((await readArtifacts(file)).artifacts));
  } catch (error) {
    throw new ModelFileError(file, `cannot load the layers model (${(error as Error).message})`);
  }
  const inputs = network.inputs.map((input) => ({ name: input.name, shape: input.shape.map(toDim) }));
  const plan = planInput({ file, inputs, outputs: [] }, options);
  const cut = tfl.model({ inputs: network.inputs, outputs: featureTensor(file, network, options.output) });
  const batchSize = options.batchSize ?? 32;
  return {
    file,
    output: cut.outputs[0].sourceLayer.name,
    features: (images) =>
      inBatches(images, batchSize, async (start, count) => {
        const { data, dims } = prepareBatch(images, start, count, plan, options);
        const flat = tf.tidy(() => tf.reshape(cut.predict(tf.tensor(data, dims, 'float32')) as tf.Tensor, [count, -1]));
        try {
          return { data: (await flat.data()) as Float32Array, dim: flat.shape[1]! };
        } finally {
          flat.dispose();
        }
      }),
    dispose: async () => {
      network.dispose();
    },
  };
}

/** The named layer's output, or the input of the model's dense head. */
function featureTensor(file: string, network: tfl.LayersModel, output: string | undefined): tfl.SymbolicTensor {
  if (output !== undefined) {
    requireLayer(
      file,
      network.layers.map((layer) => layer.name),
      output,
    );
    return network.getLayer(output).getOutputAt(0) as tfl.SymbolicTensor;
  }
  const head = headIndex(network.layers.map((layer) => layer.getClassName()));
  if (head === null) throw new ModelFileError(file, NO_HEAD, 'output');
  return network.layers[head].input as tfl.SymbolicTensor;
}
