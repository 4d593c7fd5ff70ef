import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs-core';
import { evaluate } from '../../runtime/eval/index.ts';
import { groupBalancedWeights, reweightLastLayer, reweightWithHeldOutC } from '../../runtime/interventions/index.ts';
import { buildModel, predict } from '../../runtime/models/index.ts';
import { recipe, train } from '../../runtime/train/index.ts';
import { spuriousToy, useCpu, weightsOf } from '../models/setup.ts';

test.before(useCpu);

test("group-balanced weights give every group the same total and average 1 (sklearn's convention)", () => {
  const weights = groupBalancedWeights(Int32Array.from([0, 0, 0, 1, 2, 2]), 3);
  const totals = [0, 0, 0];
  [0, 0, 0, 1, 2, 2].forEach((group, i) => (totals[group] += weights[i]));
  totals.forEach((total) => assert.ok(Math.abs(total - 2) < 1e-12, `group total ${total}`));
});

const dfrOptions = (balancedBy: string[], C = [0.001]) => ({ balancedBy, C, subsets: 0, seed: 0 });

test('DFR raises worst-group accuracy on a spurious toy problem and leaves features and the input model alone', async () => {
  const reference = spuriousToy(400, 0.97, 1);
  const held = spuriousToy(400, 0.97, 2);
  const shifted = spuriousToy(400, 0.5, 3);
  const model = buildModel({ kind: 'mlp', hidden: [] }, [2], 2, 0);
  await train(model, reference, recipe({ lr: 0.1, batch: 50, epochs: 20 }), { seed: 0 });
  const before = weightsOf(model.allVariables());
  const erm = evaluate('worst_group_accuracy', predict(model, shifted), shifted).value;
  const { model: reweighted } = await reweightLastLayer(model, held, dfrOptions(['label', 'aligned']));
  const dfr = evaluate('worst_group_accuracy', predict(reweighted, shifted), shifted).value;
  assert.ok(erm < 0.4, `ERM should lean on the spurious feature (worst group ${erm})`);
  assert.ok(dfr > 0.65 && dfr > erm + 0.3, `DFR worst group ${dfr}`);
  assert.equal(weightsOf(model.allVariables()), before);
  model.dispose();
  reweighted.dispose();
});

test('DFR keeps a deep model’s features frozen and only replaces the head', async () => {
  const data = spuriousToy(100, 0.9, 4);
  const model = buildModel({ kind: 'mlp', hidden: [4] }, [2], 2, 0);
  const before = tf.memory().numTensors;
  const { model: reweighted } = await reweightLastLayer(model, data, dfrOptions(['label', 'aligned']));
  assert.equal(weightsOf(reweighted.featureVariables()), weightsOf(model.featureVariables()));
  assert.not.equal(weightsOf(reweighted.headVariables()), weightsOf(model.headVariables()));
  reweighted.dispose();
  assert.is(tf.memory().numTensors, before, 'no tensors left behind');
  model.dispose();
});

test('a C sweep picks the candidate with the best held-out worst-group accuracy, subsets average balanced fits', async () => {
  const reference = spuriousToy(400, 0.97, 5);
  const held = spuriousToy(300, 0.9, 6);
  const selection = spuriousToy(300, 0.5, 7);
  const model = buildModel({ kind: 'mlp', hidden: [] }, [2], 2, 0);
  await train(model, reference, recipe({ lr: 0.1, batch: 50, epochs: 20 }), { seed: 0 });
  const sweep = await reweightLastLayer(model, held, {
    ...dfrOptions(['label', 'aligned'], [1e-5, 0.001, 1]),
    selection,
  });
  const scores = sweep.report.candidates.map((c) => c.worstGroupAccuracy);
  assert.is(scores.length, 3);
  assert.is(sweep.report.C, sweep.report.candidates[scores.indexOf(Math.max(...scores))].C);
  const averaged = await reweightLastLayer(model, held, { ...dfrOptions(['label', 'aligned']), subsets: 5, seed: 3 });
  const again = await reweightLastLayer(model, held, { ...dfrOptions(['label', 'aligned']), subsets: 5, seed: 3 });
  assert.equal(
    weightsOf(averaged.model.headVariables()),
    weightsOf(again.model.headVariables()),
    'same seed, same subsets',
  );
  assert.ok(averaged.report.converged);
  for (const m of [sweep.model, averaged.model, again.model, model]) m.dispose();
});

test('a C sweep without a selection set holds out half of S, then refits the chosen C on all of S', async () => {
  const reference = spuriousToy(400, 0.97, 8);
  const held = spuriousToy(400, 0.9, 9);
  const model = buildModel({ kind: 'mlp', hidden: [] }, [2], 2, 0);
  await train(model, reference, recipe({ lr: 0.1, batch: 50, epochs: 20 }), { seed: 0 });
  const options = dfrOptions(['label', 'aligned'], [1e-6, 1]);
  const swept = await reweightWithHeldOutC(model, held, options);
  const scores = swept.report.candidates.map((c) => c.worstGroupAccuracy);
  assert.is(scores.length, 2);
  assert.is(swept.report.C, swept.report.candidates[scores.indexOf(Math.max(...scores))]!.C);
  const refit = await reweightLastLayer(model, held, { ...options, C: [swept.report.C] });
  assert.equal(weightsOf(swept.model.headVariables()), weightsOf(refit.model.headVariables()), 'refitted on all of S');
  const single = await reweightWithHeldOutC(model, held, dfrOptions(['label', 'aligned'], [0.01]));
  assert.equal(single.report.candidates, []);
  for (const m of [swept.model, refit.model, single.model, model]) m.dispose();
});

test.run();
