export { DFR_DEFAULT_C, DFR_OPTIONS } from './dfr-options.ts';
export {
  reweightLastLayer,
  reweightWithHeldOutC,
  groupBalancedWeights,
  type DfrOptions,
  type DfrReport,
} from './dfr.ts';
export { fitLogistic, type LogisticFit, type LogisticOptions, type LogisticProblem } from './logistic.ts';
export { minimiseLbfgs, type LbfgsOptions, type LbfgsResult } from './lbfgs.ts';
