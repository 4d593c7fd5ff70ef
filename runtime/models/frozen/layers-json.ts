// A TF.js layers model's model.json read with plain fs, without TF.js: its declared input, its layers and
// weight shards. `check` inspects a `layers` backbone through this; layers.ts loads and runs one.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { headIndex, weightShards } from '../model-json.ts';
import { ModelFileError } from './errors.ts';
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

export const NO_HEAD =
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

/** Throws unless `output` names a layer; the message shows the last layers, where features usually are. */
export function requireLayer(file: string, names: string[], output: string): void {
  if (names.includes(output)) return;
  throw new ModelFileError(file, `no layer '${output}' (its last layers: ${names.slice(-5).join(', ')})`, 'output');
}
