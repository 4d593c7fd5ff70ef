// Builds a layered architecture in TF.js: an input, the definition's feature layers, then a seeded linear head.
// Every initializer is seeded from the model's seed and the layer's position, so the same seed on the same
// backend gives identical weights.
import * as tfl from '@tensorflow/tfjs-layers';
import { deriveSeed } from '../../random.ts';
import { ShiftlabModel, newHead } from '../model.ts';
import type { ArchitectureSpec } from '../spec.ts';
import type { LayeredDef, Seeds, Symbolic } from './architecture.ts';

/** Hands out one seeded initializer per layer, in build order. */
class LayerSeeds implements Seeds {
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

export function buildLayered<S extends ArchitectureSpec>(
  def: Pick<LayeredDef<S>, 'input' | 'features'>,
  spec: S,
  inputShape: number[],
  classes: number,
  seed: number,
): ShiftlabModel {
  if (def.input === 'image' && inputShape.length !== 3) {
    throw new Error(`${spec.kind} needs image inputs [height, width, channels], got shape [${inputShape.join(', ')}]`);
  }
  const seeds = new LayerSeeds(seed);
  const input = tfl.input({ shape: inputShape });
  const features = def.features(spec, input, { tfl, seeds });
  const logits = newHead(classes, seeds.next()).apply(features) as Symbolic;
  return new ShiftlabModel(spec, tfl.model({ inputs: input, outputs: logits }), classes);
}
