// A trainable classifier split into a feature extractor and a linear head, so that strategies can
// freeze the features (lp), swap the head (ft with new classes) or refit it (deep feature reweighting).
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { ModelSpec } from './spec.ts';

export class ShiftlabModel {
  /** Input → feature vector ([batch, featureDim]); shares its layers with `network`. */
  readonly features: tfl.LayersModel;
  /** The linear head (a dense layer without activation): features → logits. */
  readonly head: tfl.layers.Layer;

  /**
   * @param network a layers model whose last layer is the linear dense head; the input of that layer is
   *   the feature vector.
   */
  constructor(
    readonly spec: ModelSpec,
    readonly network: tfl.LayersModel,
    readonly classes: number,
  ) {
    this.head = network.layers[network.layers.length - 1];
    if (this.head.getClassName() !== 'Dense') {
      throw new Error(`the last layer of a model must be a dense head, found ${this.head.getClassName()}`);
    }
    this.features = tfl.model({ inputs: network.inputs, outputs: this.head.input as tfl.SymbolicTensor });
  }

  /** Shape of one input example, e.g. [28, 28, 1]. */
  get inputShape(): number[] {
    return this.network.inputs[0].shape.slice(1) as number[];
  }

  get featureDim(): number {
    return this.features.outputs[0].shape[1] as number;
  }

  /** Unnormalised class scores; `training` switches layers such as dropout into training mode. */
  logits(x: tf.Tensor, training = false): tf.Tensor2D {
    return this.network.apply(x, { training }) as tf.Tensor2D;
  }

  featureVariables(): tf.Variable[] {
    const headWeights = new Set(this.head.trainableWeights);
    return this.network.trainableWeights.filter((w) => !headWeights.has(w)).map((w) => w.read() as tf.Variable);
  }

  headVariables(): tf.Variable[] {
    return this.head.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  allVariables(): tf.Variable[] {
    return this.network.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  /** A model with the same features and `head` (a dense layer, unbuilt) in place of the current one. */
  withHead(head: tfl.layers.Layer, classes: number): ShiftlabModel {
    const output = head.apply(this.features.outputs[0]) as tfl.SymbolicTensor;
    return new ShiftlabModel(this.spec, tfl.model({ inputs: this.network.inputs, outputs: output }), classes);
  }

  /**
   * A new head for this network, named apart from its layers: a model loaded in a fresh process keeps its saved
   * layer names while TF.js's automatic names start counting again, so `dense_Dense1` could be taken twice.
   */
  freshHead(classes: number, seed: number): tfl.layers.Layer {
    const taken = new Set(this.network.layers.map((layer) => layer.name));
    let k = 1;
    while (taken.has(`head_${k}`)) k++;
    return newHead(classes, seed, `head_${k}`);
  }

  /** Frees every weight of the network (features and head). */
  dispose(): void {
    for (const weight of this.network.weights) weight.dispose();
  }
}

/** A fresh linear head; its initial weights depend only on `seed`. */
export function newHead(classes: number, seed: number, name?: string): tfl.layers.Layer {
  return tfl.layers.dense({
    units: classes,
    kernelInitializer: tfl.initializers.glorotUniform({ seed }),
    biasInitializer: 'zeros',
    ...(name ? { name } : {}),
  });
}
