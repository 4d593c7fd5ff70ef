import { buildModel } from './build.ts';
import type { ShiftlabModel } from './model.ts';
import type { ModelSpec } from './spec.ts';
import { loadUserModel } from './user.ts';

/** Any model spec, including `load "model.json"` (which reads files, hence async). */
export async function createModel(spec: ModelSpec, inputShape: number[], classes: number, seed: number): Promise<ShiftlabModel> {
  return spec.kind === 'load' ? loadUserModel(spec, inputShape, classes, seed) : buildModel(spec, inputShape, classes, seed);
}
