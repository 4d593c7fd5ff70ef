// JTT's identification step (Liu et al. 2021, "Just Train Twice"): the examples an ERM model trained for a
// few epochs gets wrong are, mostly, the groups a spurious feature misleads. The second stage trains a
// fresh model with those errors weighted λ (objectives/jtt.ts's `jttWeights`).
import type { Dataset } from '../data/dataset.ts';
import type { ShiftlabModel } from '../models/model.ts';
import { argmax } from '../eval/metrics.ts';
import { predict } from '../models/predict.ts';

/** 1 for each example of `data` that `model` misclassifies. */
export function misclassified(model: ShiftlabModel, data: Dataset): Uint8Array {
  const predicted = argmax(predict(model, data), data.classes);
  return Uint8Array.from(predicted, (label, i) => (label === data.y[i] ? 0 : 1));
}
