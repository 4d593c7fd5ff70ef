import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyseShift } from '../../runtime/analysis/comparison.ts';
import { epsilonSweep, type SweptModel } from '../../runtime/analysis/epsilon-sweep.ts';
import type { Dataset } from '../../runtime/data/dataset.ts';

// Eight shifted examples, all of class 0. Their log density ratios put 0–3 in support at every ε here, 4–7 out of
// support at ε = 0.5 (r ≥ 2), only 6–7 at ε = 0.1 (r ≥ 10) and none at ε = 1e-4 (r ≥ 10,000).
const logDensityRatio = [-5, -5, -5, -5, 1, 1, 3, 3];
const shifted: Dataset = {
  shape: [1],
  classes: 2,
  size: 8,
  x: new Float32Array(8),
  y: new Int32Array(8),
  attributes: {},
};

/** Probabilities that are right (class 0) exactly on the examples in `correct`. */
function predictions(correct: number[]): Float32Array {
  const out = new Float32Array(16);
  for (let i = 0; i < 8; i++) out.set(correct.includes(i) ? [0.9, 0.1] : [0.1, 0.9], 2 * i);
  return out;
}

const REFERENCE_COUNT = 1000;
const model = (reference: number, correct: number[], point?: string): SweptModel => ({
  reference: { value: reference, count: REFERENCE_COUNT },
  probabilities: predictions(correct),
  ...(point ? { point } : {}),
});

// Checkpoint k is right on the first k examples of each ε = 0.5 part and has reference accuracy k/4: on both parts
// its shifted accuracy equals its reference accuracy, so the line there is y = x.
const baseline = [1, 2, 3].map((k) =>
  model(k / 4, Array.from({ length: k }, (_, i) => [i, 4 + i]).flat(), `epoch ${k}`),
);
// Two identical copies of an arm at reference accuracy 0.5: half right in support, all right out of support.
const arm = [0, 1].map(() => model(0.5, [0, 1, 4, 5, 6, 7]));

const rows = epsilonSweep({
  shifted,
  logDensityRatio,
  epsilons: [0.5, 1e-4, 0.1, 0.5],
  metric: 'accuracy',
  groups: [],
  baseline,
  arms: [arm],
});

test('one row per distinct ε, ascending, with the part sizes the density ratios give', () => {
  assert.equal(
    rows.map((row) => [row.epsilon, row.inSupport, row.outOfSupport]),
    [
      [1e-4, 8, 0],
      [0.1, 6, 2],
      [0.5, 4, 4],
    ],
  );
  assert.is(rows[0].out_of_support, null, 'an empty part has no result');
  assert.is(rows[2].in_support!.size, 4);
});

test('ER at ε = 0.5: zero in support, the clipped out-of-support gain above the line y = x', () => {
  const inside = rows[2].in_support!;
  const outside = rows[2].out_of_support!;
  assert.is(inside.n, 3);
  assert.ok(Math.abs(inside.r2! - 1) < 1e-12, `the baseline lies on y = x (r² ${inside.r2})`);
  assert.ok(Math.abs(inside.arms['0'].er!) < 1e-12, `in-support ER ${inside.arms['0'].er}`);
  assert.not.ok(inside.arms['0'].clipped);
  // All four out-of-support examples right: accuracy 1 clipped to 1 − 1/(2·4); the line predicts 0.5.
  assert.ok(Math.abs(outside.arms['0'].er! - (0.875 - 0.5)) < 1e-12, `out-of-support ER ${outside.arms['0'].er}`);
  assert.ok(outside.arms['0'].clipped);
});

test('ER at ε = 0.1 is the comparison of the accuracies counted on that ε`s parts', () => {
  // Out of support at ε = 0.1: examples 6 and 7. Checkpoints 1, 2, 3 are right on none, none and one of them.
  const measured = (label: string, reference: number, right: number, of: number, point?: string) => ({
    label,
    reference: { value: reference, count: REFERENCE_COUNT },
    shifted: { value: right / of, count: of },
    ...(point ? { point } : {}),
  });
  const expected = analyseShift(
    [
      measured('b1', 0.25, 0, 2, 'epoch 1'),
      measured('b2', 0.5, 0, 2, 'epoch 2'),
      measured('b3', 0.75, 1, 2, 'epoch 3'),
    ],
    { arm: [measured('a0', 0.5, 2, 2), measured('a1', 0.5, 2, 2)] },
  );
  const outside = rows[1].out_of_support!;
  assert.is(outside.size, 2);
  assert.is(outside.r2, expected.fit.r2);
  assert.is(outside.clippedPoints, 2, 'two checkpoints score 0 on the part and are clipped');
  for (const field of ['er', 'low', 'high', 'x', 'y'] as const)
    assert.is(outside.arms['0'][field], expected.arms.arm[field], field);
});

test('predictions that do not cover the shifted set are refused', () => {
  const short: SweptModel = { reference: { value: 0.5, count: 10 }, probabilities: new Float32Array(4) };
  assert.throws(
    () =>
      epsilonSweep({
        shifted,
        logDensityRatio,
        epsilons: [0.1],
        metric: 'accuracy',
        groups: [],
        baseline: [...baseline, short],
        arms: [arm],
      }),
    /predictions of 2 examples for a shifted set of 8/,
  );
});

test.run();
