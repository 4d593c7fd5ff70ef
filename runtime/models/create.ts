import { ARCHITECTURES, type ArchitectureDef } from './architectures/index.ts';
import type { ShiftlabModel } from './model.ts';
import type { ModelSpec } from './spec.ts';

/** Any model spec, including `load "model.json"` (which reads files, hence async). */
export async function createModel(
  spec: ModelSpec,
  inputShape: number[],
  classes: number,
  seed: number,
): Promise<ShiftlabModel> {
  return (ARCHITECTURES[spec.kind] as ArchitectureDef).create(spec, inputShape, classes, seed);
}
