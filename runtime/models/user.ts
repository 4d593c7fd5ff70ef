// `load "model.json"`: a user's TF.js layers model as a shiftlab model. Its last dense layer (with any
// trailing activation, softmax or dropout layers) is replaced by a linear head; the input of that layer
// becomes the feature vector. When the class counts match, the head keeps the user's weights.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ShiftlabModel, newHead } from './model.ts';
import { headIndex } from './model-json.ts';
import { readArtifacts } from './persist.ts';
import type { LoadSpec } from './spec.ts';

export async function loadUserModel(
  spec: LoadSpec,
  inputShape: number[],
  classes: number,
  seed: number,
): Promise<ShiftlabModel> {
  const { artifacts } = await readArtifacts(spec.path);
  let network: tfl.LayersModel;
  try {
    network = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    throw new Error(`cannot load model ${spec.path}: ${(error as Error).message}`);
  }
  if (network.inputs.length !== 1)
    throw new Error(`${spec.path} has ${network.inputs.length} inputs; shiftlab needs exactly one`);
  const expected = network.inputs[0].shape.slice(1);
  if (expected.length !== inputShape.length || expected.some((size, i) => size !== null && size !== inputShape[i])) {
    throw new Error(
      `${spec.path} expects inputs of shape [${expected.join(', ')}] but the data has shape [${inputShape.join(', ')}]`,
    );
  }
  const last = lastDense(network, spec.path);
  const featureOutput = last.input as tfl.SymbolicTensor;
  if (featureOutput.shape.length !== 2) {
    throw new Error(
      `${spec.path}: the input of its last dense layer must be a flat feature vector, got shape [${featureOutput.shape.join(', ')}]`,
    );
  }
  const head = newHead(classes, seed);
  const model = new ShiftlabModel(
    spec,
    tfl.model({ inputs: network.inputs, outputs: head.apply(featureOutput) as tfl.SymbolicTensor }),
    classes,
  );
  const units = (last.getConfig() as { units: number }).units;
  const weights = last.getWeights();
  if (units === classes && weights.length === 2) head.setWeights(weights);
  for (const weight of last.weights) weight.dispose();
  return model;
}

/** The model's head (see headIndex); its input is the feature vector. */
export function lastDense(network: tfl.LayersModel, path: string): tfl.layers.Layer {
  const index = headIndex(network.layers.map((layer) => layer.getClassName()));
  if (index !== null) return network.layers[index];
  throw new Error(
    `${path} must end in a dense layer (optionally followed by an activation), which shiftlab uses as the head`,
  );
}
