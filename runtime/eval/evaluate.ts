import type { Dataset } from '../data/dataset.ts';
import { groupIds } from '../data/groups.ts';
import { computeMetric, type Metric, type MetricValue } from './metrics.ts';

/**
 * The groups a worst-group metric uses when a comparison names none: label × aligned when the data
 * records `aligned` (the spurious tint), else the label alone.
 */
export function defaultGroupAttributes(data: Dataset): string[] {
  return 'aligned' in data.attributes ? ['label', 'aligned'] : ['label'];
}

/** `metric` of `predictions` (probabilities, size × classes, from `predict`) on `data`. */
export function evaluate(metric: Metric, predictions: Float32Array, data: Dataset, groups?: string[]): MetricValue {
  const ids =
    metric === 'worst_group_accuracy' ? groupIds(data, groups ?? defaultGroupAttributes(data)).ids : undefined;
  return computeMetric(metric, predictions, data.y, data.classes, ids);
}
