import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Dataset } from '../../runtime/data/dataset.ts';
import {
  accuracy,
  aurocGini,
  balancedAccuracy,
  evaluate,
  macroF1,
  worstGroupAccuracy,
} from '../../runtime/eval/index.ts';

const ints = (values: number[]) => Int32Array.from(values);
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≉ ${b}`);

// Fixture: 8 examples, 3 classes. Truth and predictions by hand:
//   labels    0 0 0 0 1 1 2 2
//   predicted 0 0 0 1 1 2 2 0
const labels = ints([0, 0, 0, 0, 1, 1, 2, 2]);
const predicted = ints([0, 0, 0, 1, 1, 2, 2, 0]);

test('accuracy: 5 of 8 right', () => close(accuracy(predicted, labels), 5 / 8));

test('balanced accuracy: mean of per-class recalls 3/4, 1/2, 1/2', () =>
  close(balancedAccuracy(predicted, labels), (0.75 + 0.5 + 0.5) / 3));

test('worst-group accuracy: the weakest group', () => {
  // groups 0 1 0 1 0 1 0 1: group 0 (examples 0, 2, 4, 6) all right; group 1 (1, 3, 5, 7) 1 of 4
  close(worstGroupAccuracy(predicted, labels, ints([0, 1, 0, 1, 0, 1, 0, 1])), 1 / 4);
  close(worstGroupAccuracy(predicted, labels, labels), 0.5);
});

test('macro F1 over the labels present', () => {
  // class 0: tp 3, predicted 4, actual 4 → 6/8; class 1: tp 1, predicted 2, actual 2 → 2/4; class 2: tp 1, pred 2, actual 2 → 2/4
  close(macroF1(predicted, labels), (0.75 + 0.5 + 0.5) / 3);
  // label 5 predicted but absent from the truth still counts (F1 0), absent labels 3 and 4 do not
  close(macroF1(ints([0, 5]), ints([0, 0])), (2 / 3 + 0) / 2);
});

test('AUROC as 2·AUC − 1, with ties counting one half', () => {
  close(aurocGini(Float32Array.from([0.1, 0.4, 0.35, 0.8]), ints([0, 0, 1, 1])), 2 * 0.75 - 1);
  close(aurocGini(Float32Array.from([0.9, 0.8, 0.2, 0.1]), ints([0, 0, 1, 1])), -1);
  // one positive tied with one of two negatives: pairs (win, tie) → AUC 0.75
  close(aurocGini(Float32Array.from([0.2, 0.5, 0.5]), ints([0, 0, 1])), 0.5);
});

test('evaluate reads labels, groups (default label × aligned) and probabilities from a dataset', () => {
  const data: Dataset = {
    shape: [1],
    classes: 2,
    size: 4,
    x: new Float32Array(4),
    y: ints([0, 0, 1, 1]),
    attributes: { aligned: ints([1, 0, 1, 0]) },
  };
  // predicted: 0, 1, 1, 1 (example 1 — label 0, not aligned — is wrong); scores for class 1: .2 .6 .7 .9
  const probabilities = Float32Array.from([0.8, 0.2, 0.4, 0.6, 0.3, 0.7, 0.1, 0.9]);
  assert.equal(evaluate('accuracy', probabilities, data), { value: 0.75, count: 4 });
  // The worst group (label 0, not aligned) holds one example: clipping must use that N, not 4.
  assert.equal(evaluate('worst_group_accuracy', probabilities, data), { value: 0, count: 1 });
  assert.equal(evaluate('worst_group_accuracy', probabilities, data, ['label']), { value: 0.5, count: 2 });
  close(evaluate('balanced_accuracy', probabilities, data).value, 0.75);
  close(evaluate('auroc', probabilities, data).value, 1);
  assert.throws(() => evaluate('accuracy', new Float32Array(3), data), /expected 4 examples × 2 classes/);
  assert.throws(() => evaluate('auroc', new Float32Array(12), { ...data, classes: 3 }), /binary/);
});

test.run();
