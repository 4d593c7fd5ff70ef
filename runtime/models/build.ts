// Builds the architectures a study can name. Every initializer is seeded from the model's seed and the
// layer's position, so the same seed on the same backend gives identical weights.
import * as tfl from '@tensorflow/tfjs-layers';
import { deriveSeed } from '../random.ts';
import { ShiftlabModel, newHead } from './model.ts';
import type { ArchitectureSpec, ConvnetSpec, MlpSpec, ResnetSpec } from './spec.ts';

type Symbolic = tfl.SymbolicTensor;
type Initializer = ReturnType<typeof tfl.initializers.heNormal>;

/** Hands out one seeded initializer per layer, in build order. */
class Seeds {
  private count = 0;
  constructor(private readonly seed: number) {}
  next(): number {
    return deriveSeed(this.seed, 'layer', this.count++);
  }
  he() {
    return tfl.initializers.heNormal({ seed: this.next() });
  }
  glorot() {
    return tfl.initializers.glorotUniform({ seed: this.next() });
  }
}

export function buildModel(spec: ArchitectureSpec, inputShape: number[], classes: number, seed: number): ShiftlabModel {
  const seeds = new Seeds(seed);
  const input = tfl.input({ shape: inputShape });
  let features: Symbolic;
  switch (spec.kind) {
    case 'mlp':
      features = mlpFeatures(spec, input, seeds);
      break;
    case 'convnet':
      features = convnetFeatures(spec, requireImage(spec.kind, inputShape, input), seeds);
      break;
    case 'resnet':
      features = resnetFeatures(spec, requireImage(spec.kind, inputShape, input), seeds);
      break;
  }
  const logits = newHead(classes, seeds.next()).apply(features) as Symbolic;
  return new ShiftlabModel(spec, tfl.model({ inputs: input, outputs: logits }), classes);
}

function requireImage(kind: string, inputShape: number[], input: Symbolic): Symbolic {
  if (inputShape.length !== 3) {
    throw new Error(`${kind} needs image inputs [height, width, channels], got shape [${inputShape.join(', ')}]`);
  }
  return input;
}

function mlpFeatures(spec: MlpSpec, input: Symbolic, seeds: Seeds): Symbolic {
  let x = input.shape.length > 2 ? (tfl.layers.flatten().apply(input) as Symbolic) : input;
  for (const units of spec.hidden) {
    x = tfl.layers.dense({ units, activation: 'relu', kernelInitializer: seeds.he() }).apply(x) as Symbolic;
  }
  return x;
}

function convnetFeatures(spec: ConvnetSpec, input: Symbolic, seeds: Seeds): Symbolic {
  let x = input;
  for (const filters of spec.channels) {
    x = conv(filters, 1, 'relu', seeds.he()).apply(x) as Symbolic;
    x = tfl.layers.maxPooling2d({ poolSize: 2 }).apply(x) as Symbolic;
  }
  x = tfl.layers.flatten().apply(x) as Symbolic;
  return tfl.layers.dense({ units: spec.dense, activation: 'relu', kernelInitializer: seeds.he() }).apply(x) as Symbolic;
}

/**
 * A small residual net without normalisation layers: a 3×3 stem, then per stage a stride-2 transition
 * (except the first) and `blocks[i]` blocks `x + conv(relu(conv(x)))`. The second conv of a block starts
 * near zero so every block begins close to the identity, which keeps an unnormalised net trainable.
 */
function resnetFeatures(spec: ResnetSpec, input: Symbolic, seeds: Seeds): Symbolic {
  let x = conv(spec.width, 1, 'relu', seeds.he()).apply(input) as Symbolic;
  spec.blocks.forEach((count, stage) => {
    const filters = spec.width * 2 ** stage;
    if (stage > 0) x = conv(filters, 2, 'relu', seeds.he()).apply(x) as Symbolic;
    for (let i = 0; i < count; i++) {
      const inner = conv(filters, 1, 'relu', seeds.he()).apply(x) as Symbolic;
      const small = tfl.initializers.varianceScaling({ scale: 0.01, mode: 'fanIn', seed: seeds.next() });
      const residual = conv(filters, 1, 'linear', small).apply(inner) as Symbolic;
      x = tfl.layers.activation({ activation: 'relu' }).apply(tfl.layers.add().apply([x, residual]) as Symbolic) as Symbolic;
    }
  });
  return tfl.layers.globalAveragePooling2d({}).apply(x) as Symbolic;
}

function conv(filters: number, strides: number, activation: 'relu' | 'linear', kernelInitializer: Initializer) {
  return tfl.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', activation, kernelInitializer });
}
