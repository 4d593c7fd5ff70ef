import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../../runtime/data/dataset.ts';
import { evaluate } from '../../runtime/eval/index.ts';
import { groupBalancedWeights, reweightLastLayer } from '../../runtime/interventions/index.ts';
import { buildModel, predict } from '../../runtime/models/index.ts';
import { Random } from '../../runtime/random.ts';
import { recipe, train } from '../../runtime/train/index.ts';
import { useCpu, weightsOf } from '../models/setup.ts';

test.before(useCpu);

/**
 * Two inputs: a noisy core feature that predicts the label, and a clean spurious feature that agrees
 * with the label with probability `spurious` (attribute `aligned`).
 */
function spuriousToy(size: number, spurious: number, seed: number): Dataset {
  const random = new Random(seed);
  const x = new Float32Array(size * 2);
  const y = new Int32Array(size);
  const aligned = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    y[i] = i % 2;
    aligned[i] = random.chance(spurious) ? 1 : 0;
    const colour = aligned[i] ? y[i] : 1 - y[i];
    x[i * 2] = (2 * y[i] - 1) + random.normal() * 1.2;
    x[i * 2 + 1] = 2 * (2 * colour - 1) + random.normal() * 0.1;
  }
  return { shape: [2], classes: 2, size, x, y, attributes: { aligned } };
}

test('group-balanced weights give every group the same total', () => {
  const weights = groupBalancedWeights(Int32Array.from([0, 0, 0, 1, 2, 2]), 3);
  const totals = [0, 0, 0];
  [0, 0, 0, 1, 2, 2].forEach((group, i) => (totals[group] += weights[i]));
  totals.forEach((total) => assert.ok(Math.abs(total - 1 / 3) < 1e-6));
});

test('DFR raises worst-group accuracy on a spurious toy problem and leaves features and the input model alone', async () => {
  const reference = spuriousToy(400, 0.97, 1);
  const held = spuriousToy(400, 0.97, 2);
  const shifted = spuriousToy(400, 0.5, 3);
  const model = buildModel({ kind: 'mlp', hidden: [] }, [2], 2, 0);
  await train(model, reference, recipe({ lr: 0.1, batch: 50, epochs: 20 }), { seed: 0 });
  const before = weightsOf(model.allVariables());
  const erm = evaluate('worst_group_accuracy', predict(model, shifted), shifted);
  const reweighted = await reweightLastLayer(model, held, { balancedBy: ['label', 'aligned'] });
  const dfr = evaluate('worst_group_accuracy', predict(reweighted, shifted), shifted);
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
  const reweighted = await reweightLastLayer(model, data, { balancedBy: ['label', 'aligned'], steps: 50 });
  assert.equal(weightsOf(reweighted.featureVariables()), weightsOf(model.featureVariables()));
  assert.not.equal(weightsOf(reweighted.headVariables()), weightsOf(model.headVariables()));
  reweighted.dispose();
  assert.is(tf.memory().numTensors, before, 'no tensors left behind');
  model.dispose();
});

test.run();
