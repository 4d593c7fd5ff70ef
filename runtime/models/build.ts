// Builds the architectures defined layer by layer (architectures/*.ts). Every initializer is seeded from
// the model's seed and the layer's position, so the same seed on the same backend gives identical weights.
import { LAYERED } from './architectures/index.ts';
import type { ShiftlabModel } from './model.ts';
import type { ArchitectureSpec } from './spec.ts';

export function buildModel(spec: ArchitectureSpec, inputShape: number[], classes: number, seed: number): ShiftlabModel {
  const def = LAYERED[spec.kind] as {
    build(spec: ArchitectureSpec, inputShape: number[], classes: number, seed: number): ShiftlabModel;
  };
  return def.build(spec, inputShape, classes, seed);
}
