export {
  METRICS,
  argmax,
  accuracy,
  balancedAccuracy,
  worstGroupAccuracy,
  macroF1,
  aurocGini,
  computeMetric,
  type Metric,
  type MetricValue,
} from './metrics.ts';
export { evaluate, defaultGroupAttributes } from './evaluate.ts';
