// Builds the architectures defined layer by layer (architectures/*.ts) synchronously, for code that already
// runs TF.js (handlers, tests); `createModel` builds any model spec.
import { LAYERED } from './architectures/index.ts';
import { buildLayered } from './architectures/layered-build.ts';
import type { ShiftlabModel } from './model.ts';
import type { ArchitectureSpec } from './spec.ts';

export function buildModel(spec: ArchitectureSpec, inputShape: number[], classes: number, seed: number): ShiftlabModel {
  return buildLayered(LAYERED[spec.kind] as Parameters<typeof buildLayered>[0], spec, inputShape, classes, seed);
}
