// TF.js layers models (Keras models saved by tensorflowjs, e.g. a MobileNet shipped inside an npm package) as
// frozen feature extractors, cut at a named layer: by default the input of the model's last dense layer, the
// same feature vector `load "model.json"` puts a new head on. `load` fine-tunes such a model; `layers` only
// reads it, so its features are computed once per split and cached like those of `onnx` and `graph`.
import { existsSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { resolve } from 'node:path';
import { readArtifacts, weightShards } from '../persist.ts';
import { headIndex } from '../user.ts';
import { inBatches, type FrozenBackbone } from './backbone.ts';
import { ModelFileError } from './errors.ts';
import { prepareBatch } from './preprocess.ts';
import { planInput, toDim, type FrozenOptions, type ModelSignature } from './signature.ts';

interface LayerJson {
  class_name?: string;
  name?: string;
  config?: { name?: string; batch_input_shape?: unknown[]; batch_shape?: unknown[] };
}

interface LayersJson {
  modelTopology?: { model_config?: ModelConfig } & ModelConfig;
  weightsManifest?: unknown;
}

interface ModelConfig {
  class_name?: string;
  config?: LayerJson[] | { layers?: LayerJson[] };
}

/** The layers of a layers-format model.json, in order (Sequential or functional, Keras 2 or 3 spelling). */
function layersOf(file: string, json: LayersJson): LayerJson[] {
  const topology = json.modelTopology;
  const config = (topology?.model_config ?? topology)?.config;
  const layers = Array.isArray(config) ? config : config?.layers;
  if (!Array.isArray(layers) || !Array.isArray(json.weightsManifest)) {
    throw new ModelFileError(
      file,
      'not a TF.js layers model (needs "modelTopology" with its layers and "weightsManifest")',
    );
  }
  return layers;
}

const NO_HEAD =
  'the model does not end in a dense layer (optionally followed by activation or dropout layers): name the feature layer with `output`';

const layerName = (layer: LayerJson) => layer.config?.name ?? layer.name ?? '';

/** Inputs from the model's input layers (or its first layer's declared input shape); outputs are checked by name. */
function signatureOf(file: string, layers: LayerJson[]): ModelSignature {
  const declared = (layer: LayerJson) => layer.config?.batch_input_shape ?? layer.config?.batch_shape;
  const inputLayers = layers.filter((layer) => layer.class_name === 'InputLayer');
  const inputs = (inputLayers.length ? inputLayers : layers.slice(0, 1)).map((layer) => ({
    name: layerName(layer),
    shape: declared(layer)?.map(toDim),
  }));
  return { file, inputs, outputs: [] };
}

/**
 * Reads model.json alone (no weights): the input it declares fits `options`, `output` names a layer or, when
 * it is left out, the model ends in a dense head whose input is the feature vector; every weight shard exists.
 * Synchronous, so `check` can call it. Returns the model.json and its shards.
 */
export function inspectLayersModel(path: string, options: FrozenOptions): string[] {
  const file = resolve(path);
  let json: LayersJson;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as LayersJson;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ModelFileError(
      file,
      code ? `cannot read model.json (${code})` : `not JSON (${(error as Error).message})`,
    );
  }
  const layers = layersOf(file, json);
  planInput(signatureOf(file, layers), options);
  if (options.output !== undefined) {
    requireLayer(file, layers.map(layerName), options.output);
  } else if (headIndex(layers.map((layer) => layer.class_name ?? '')) === null) {
    throw new ModelFileError(file, NO_HEAD, 'output');
  }
  const shards = weightShards(file);
  for (const shard of shards) {
    if (!existsSync(shard)) throw new ModelFileError(file, `weight shard ${shard} is missing`, 'shard');
  }
  return [file, ...shards];
}

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

/** Throws unless `output` names a layer; the message shows the last layers, where features usually are. */
function requireLayer(file: string, names: string[], output: string): void {
  if (names.includes(output)) return;
  throw new ModelFileError(file, `no layer '${output}' (its last layers: ${names.slice(-5).join(', ')})`, 'output');
}
