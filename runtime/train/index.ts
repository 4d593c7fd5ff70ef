export { DEFAULT_RECIPE, recipe, learningRateAt, type RecipeSpec } from './recipe.ts';
export { makeOptimizer, clipByGlobalNorm, type Optimizer } from './optimizer.ts';
export { train, TrainingError, type TrainOptions, type TrainResult } from './train.ts';
export { fineTune, lpFtEpochs, type FineTuneOptions, type Strategy } from './strategies.ts';
export { sweep, type SweepResult } from './sweep.ts';
export { ObjectiveState, groupBalancedLossWeights, jttWeights, type TrainingObjective } from './objective.ts';
export { misclassified } from './jtt.ts';
export { OBJECTIVES, prepareObjective, type ObjectiveDef, type ObjectiveSpec } from './objectives/index.ts';
