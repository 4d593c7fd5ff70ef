// Group-robust objectives on a problem with a known answer: a clean spurious feature agrees with the label
// in 97% of the training data, a noisy core feature always predicts it (alone it is right ~80% of the
// time). ERM leans on the spurious feature and fails the minority groups of a balanced test set; group
// reweighting, GroupDRO and JTT must each raise worst-group accuracy over ERM by at least 0.2.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Dataset } from '../../runtime/data/dataset.ts';
import { groupIds } from '../../runtime/data/groups.ts';
import { evaluate } from '../../runtime/eval/index.ts';
import { buildModel, predict } from '../../runtime/models/index.ts';
import {
  groupBalancedLossWeights,
  jttWeights,
  misclassified,
  recipe,
  train,
  type TrainingObjective,
} from '../../runtime/train/index.ts';
import { spuriousToy, useCpu } from '../models/setup.ts';

test.before(useCpu);

const reference = spuriousToy(2000, 0.97, 1);
const balanced = spuriousToy(2000, 0.5, 2);
const validation = spuriousToy(1000, 0.5, 3);
const fit = recipe({ optimizer: 'sgd', lr: 0.5, batch: 100, epochs: 30 });
const groups = groupIds(reference, ['label', 'aligned']);

async function worstGroup(objective: TrainingObjective, epochs = fit.epochs): Promise<number> {
  const model = buildModel({ kind: 'mlp', hidden: [] }, [2], 2, 0);
  await train(model, reference, { ...fit, epochs }, { seed: 0, objective });
  const value = evaluate('worst_group_accuracy', predict(model, balanced), balanced, ['label', 'aligned']).value;
  model.dispose();
  return value;
}

// Trained on first use, inside a test: the backend is chosen in test.before, not at import.
let ermResult: Promise<number> | undefined;
const ermValue = () => (ermResult ??= worstGroup({ kind: 'erm' }));

test('ERM fails the minority groups (the premise)', async () => {
  assert.ok((await ermValue()) < 0.45, `ERM worst group ${await ermValue()}`);
});

test('group reweighting of the loss raises worst-group accuracy over ERM by ≥ 0.2', async () => {
  const value = await worstGroup({ kind: 'weighted', weights: groupBalancedLossWeights(groups.ids, groups.count) });
  assert.ok(value >= (await ermValue()) + 0.2, `reweighted ${value} vs ERM ${await ermValue()}`);
});

test('GroupDRO (η = 0.1, adjustment 1) raises worst-group accuracy over ERM by ≥ 0.2', async () => {
  const value = await worstGroup({
    kind: 'group_dro',
    groups: groups.ids,
    count: groups.count,
    eta: 0.1,
    adjustment: 1,
  });
  assert.ok(value >= (await ermValue()) + 0.2, `GroupDRO ${value} vs ERM ${await ermValue()}`);
});

test("JTT (identify with 2 ERM epochs, λ from the paper's grid by validation worst group) raises worst-group accuracy over ERM by ≥ 0.2", async () => {
  const identification = buildModel({ kind: 'mlp', hidden: [] }, [2], 2, 0);
  await train(identification, reference, { ...fit, epochs: 2 }, { seed: 0 });
  const errors = misclassified(identification, reference);
  identification.dispose();
  // The errors are mostly the minority (misaligned) examples.
  const minorityErrors = errors.reduce((n, wrong, i) => n + (wrong && !reference.attributes.aligned[i] ? 1 : 0), 0);
  assert.ok(minorityErrors / errors.reduce((a, b) => a + b, 0) > 0.5, 'errors concentrate on the minority');
  // As in the JTT paper, λ is chosen by worst-group accuracy on a validation set with group labels.
  let best = { lambda: 0, validation: -1, test: 0 };
  for (const lambda of [5, 10, 20, 50, 100]) {
    const model = buildModel({ kind: 'mlp', hidden: [] }, [2], 2, 0);
    await train(model, reference, fit, {
      seed: 0,
      objective: { kind: 'weighted', weights: jttWeights(errors, lambda) },
    });
    const score = (data: Dataset) =>
      evaluate('worst_group_accuracy', predict(model, data), data, ['label', 'aligned']).value;
    const result = { lambda, validation: score(validation), test: score(balanced) };
    if (result.validation > best.validation) best = result;
    model.dispose();
  }
  assert.ok(best.test >= (await ermValue()) + 0.2, `JTT (λ ${best.lambda}) ${best.test} vs ERM ${await ermValue()}`);
});

test('GroupDRO rejects a non-positive step size', async () => {
  try {
    await worstGroup({ kind: 'group_dro', groups: groups.ids, count: groups.count, eta: 0, adjustment: 0 }, 1);
    assert.unreachable('eta 0 was accepted');
  } catch (error) {
    assert.match(String(error), /eta > 0/);
  }
});

test.run();
