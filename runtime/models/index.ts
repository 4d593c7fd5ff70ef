export type { ArchitectureSpec, ConvnetSpec, LoadSpec, MlpSpec, ModelSpec, ResnetSpec } from './spec.ts';
export { ShiftlabModel, newHead } from './model.ts';
export { buildModel } from './build.ts';
export { loadUserModel } from './user.ts';
export { saveModel, loadModel, cloneModel, toArtifacts, fromArtifacts, readArtifacts } from './persist.ts';
export { predict, extractFeatures } from './predict.ts';
export { createModel, modelInputFiles, resolveModelPaths } from './create.ts';
export { ARCHITECTURES, toModelSpec, type ArchitectureDef } from './architectures/index.ts';
