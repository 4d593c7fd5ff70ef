// runtime/data: sources, splits, transforms, augmentation, grouping and the cache format of datasets.
export type { Dataset, Splits, SplitName, Subspace } from './dataset.ts';
export type { SourceSpec, TransformSpec, SourceKind, Params, ParamValue } from './specs.ts';
export { SOURCE_KINDS } from './specs.ts';
export { DataError } from './errors.ts';
export {
  loadSource,
  sourceDef,
  sourceInputFiles,
  sourceParams,
  SOURCES,
  type LoadedSource,
  type SourceDef,
} from './sources/index.ts';
export { makeSplits, type SplitOptions } from './splits.ts';
export { groupIds, attributeValues, type Groups } from './groups.ts';
export { subset, exampleLength } from './ops.ts';
export { applyTransform, transformDef, TRANSFORMS } from './transforms/index.ts';
export type { Transform, TransformContext, TransformDef, SupportEffect } from './transforms/transform.ts';
export type { InputShape } from './shape.ts';
export { augmentBatch, AUGMENT_SETTINGS, AUGMENT_TINT_STRENGTH, type AugmentSetting } from './augment.ts';
export { PALETTE } from './image.ts';
export { trueMargin, distanceFromSubspace } from './transforms/subspace.ts';
export { writeDataset, readDataset } from './serialise.ts';
