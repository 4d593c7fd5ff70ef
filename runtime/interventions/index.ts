export { reweightLastLayer, groupBalancedWeights, type DfrOptions } from './dfr.ts';
export { fitLogistic, type LogisticFit, type LogisticOptions } from './logistic.ts';
