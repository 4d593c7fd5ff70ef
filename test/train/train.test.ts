import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rejects } from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { argmax } from '../../runtime/eval/index.ts';
import { buildModel, predict } from '../../runtime/models/index.ts';
import { TrainingError, fineTune, lpFtEpochs, recipe, sweep, train } from '../../runtime/train/index.ts';
import { blobs, randomDataset, useCpu, weightsOf } from '../models/setup.ts';

test.before(useCpu);

const mlp = { kind: 'mlp' as const, hidden: [8] };

function accuracy(model: ReturnType<typeof buildModel>, data: ReturnType<typeof blobs>): number {
  const predicted = argmax(predict(model, data), data.classes);
  return predicted.filter((label, i) => label === data.y[i]).length / data.size;
}

test('every optimizer and schedule learns separable blobs', async () => {
  const data = blobs(120, 6, 3);
  const recipes = [
    recipe({ optimizer: 'adam', lr: 0.05, batch: 16, epochs: 5 }),
    recipe({ optimizer: 'sgd', lr: 0.2, momentum: 0.9, batch: 16, epochs: 5, schedule: 'cosine', warmup: 1 }),
    recipe({
      optimizer: 'adamw',
      lr: 0.05,
      weight_decay: 0.01,
      batch: 16,
      epochs: 5,
      schedule: 'triangle',
      label_smoothing: 0.1,
      grad_clip: 1,
    }),
  ];
  for (const spec of recipes) {
    const model = buildModel(mlp, data.shape, 3, 1);
    const { losses } = await train(model, data, spec, { seed: 1 });
    assert.is(losses.length, 5);
    assert.ok(losses[4] < losses[0], `${spec.optimizer}: loss ${losses[0]} → ${losses[4]}`);
    assert.ok(accuracy(model, data) > 0.9, spec.optimizer);
    model.dispose();
  }
});

test('same seed gives identical weights after training; another seed differs', async () => {
  const data = randomDataset(40, [5], 2);
  const spec = recipe({ lr: 0.01, batch: 8, epochs: 2 });
  const runs = [];
  for (const seed of [3, 3, 4]) {
    const model = buildModel(mlp, data.shape, 2, 0);
    await train(model, data, spec, { seed });
    runs.push(weightsOf(model.allVariables()));
    model.dispose();
  }
  assert.equal(runs[0], runs[1]);
  assert.not.equal(runs[0], runs[2]);
});

test('no tensor leaks: the count is the same after every epoch and back to the start after training', async () => {
  const data = randomDataset(50, [6, 6, 1], 2);
  const model = buildModel({ kind: 'convnet', channels: [2], dense: 4 }, data.shape, 2, 0);
  const before = tf.memory().numTensors;
  const counts: number[] = [];
  await train(model, data, recipe({ batch: 16, epochs: 3, grad_clip: 1 }), {
    seed: 0,
    onEpoch: () => void counts.push(tf.memory().numTensors),
  });
  assert.is(counts[1], counts[0]);
  assert.is(counts[2], counts[0]);
  assert.is(tf.memory().numTensors, before);
  model.dispose();
});

test("the dataset's augmentation is applied to training batches, reproducibly", async () => {
  const plain = randomDataset(16, [4, 4, 1], 2);
  const augmented = { ...plain, augmentation: { vflip: 1 } };
  const original = Float32Array.from(plain.x);
  const runs = [];
  for (const data of [plain, augmented, augmented]) {
    const model = buildModel(mlp, data.shape, 2, 0);
    await train(model, data, recipe({ batch: 8, epochs: 1 }), { seed: 0 });
    runs.push(weightsOf(model.allVariables()));
    model.dispose();
  }
  assert.not.equal(runs[1], runs[0]);
  assert.equal(runs[1], runs[2]);
  assert.equal(augmented.x, original); // batches are copies: the dataset itself is never augmented
});

test('checkpoints are reported at the requested epochs, epoch losses every epoch', async () => {
  const data = randomDataset(20, [4], 2);
  const model = buildModel(mlp, data.shape, 2, 0);
  const seen: number[] = [];
  const epochs: number[] = [];
  await train(model, data, recipe({ batch: 8, epochs: 4 }), {
    seed: 0,
    checkpoints: [2, 4, 9],
    onCheckpoint: (epoch, m) => void seen.push(epoch + (m === model ? 0 : 100)),
    onEpoch: (epoch) => void epochs.push(epoch),
  });
  assert.equal(seen, [2, 4]);
  assert.equal(epochs, [1, 2, 3, 4]);
  model.dispose();
});

test('a non-finite loss stops training with a TrainingError naming epoch and batch', async () => {
  const data = randomDataset(8, [3], 2);
  data.x[5] = Number.NaN;
  const model = buildModel(mlp, data.shape, 2, 0);
  const before = weightsOf(model.allVariables());
  await rejects(
    () => train(model, data, recipe({ batch: 8 }), { seed: 0 }),
    (error: unknown) =>
      error instanceof TrainingError &&
      error.epoch === 1 &&
      error.batch === 1 &&
      /loss is NaN at epoch 1, batch 1/.test(error.message),
  );
  assert.equal(weightsOf(model.allVariables()), before);
  model.dispose();
});

test('a model that does not fit the data is refused', async () => {
  const model = buildModel(mlp, [4], 2, 0);
  await rejects(() => train(model, randomDataset(4, [5], 2), recipe(), { seed: 0 }), /expects inputs of shape \[4\]/);
  await rejects(() => train(model, randomDataset(4, [4], 3), recipe(), { seed: 0 }), /2 classes but the data has 3/);
  model.dispose();
});

test('lp leaves the features unchanged and trains the head; ft changes the features; init is untouched', async () => {
  const data = blobs(60, 6, 3);
  const init = buildModel(mlp, data.shape, 3, 2);
  const initWeights = weightsOf(init.allVariables());
  const spec = recipe({ lr: 0.05, batch: 16, epochs: 2 });
  const lp = await fineTune(init, data, spec, { strategy: 'lp', seed: 1 });
  assert.equal(weightsOf(lp.model.featureVariables()), weightsOf(init.featureVariables()));
  assert.not.equal(weightsOf(lp.model.headVariables()), weightsOf(init.headVariables()));
  const ft = await fineTune(init, data, spec, { strategy: 'ft', seed: 1 });
  assert.not.equal(weightsOf(ft.model.featureVariables()), weightsOf(init.featureVariables()));
  assert.equal(weightsOf(init.allVariables()), initWeights);
  [init, lp.model, ft.model].forEach((m) => m.dispose());
});

test('ft makes a new head when the class counts differ; head keep then fails; lp_ft splits epochs', async () => {
  const init = buildModel(mlp, [6], 5, 2);
  const data = blobs(30, 6, 3);
  const epochs: number[] = [];
  const result = await fineTune(init, data, recipe({ batch: 10, epochs: 3 }), {
    strategy: 'lp_ft',
    seed: 0,
    onEpoch: (e) => void epochs.push(e),
  });
  assert.is(result.model.classes, 3);
  assert.equal(
    weightsOf(result.model.headVariables()).map((w) => w.length),
    [24, 3],
  );
  assert.equal(epochs, [1, 2, 3]);
  assert.equal(lpFtEpochs(3), { probe: 1, finetune: 2 });
  assert.equal(lpFtEpochs(1), { probe: 1, finetune: 1 });
  assert.equal(lpFtEpochs(9), { probe: 3, finetune: 6 });
  await rejects(
    () => fineTune(init, data, recipe(), { strategy: 'ft', head: 'keep', seed: 0 }),
    /head keep: the initial model has 5 classes/,
  );
  init.dispose();
  result.model.dispose();
});

test('head new replaces a matching head; lp_ft checkpoints count epochs across both phases', async () => {
  const data = blobs(30, 6, 3);
  const init = buildModel(mlp, [6], 3, 2);
  const seen: number[] = [];
  const result = await fineTune(init, data, recipe({ lr: 0, batch: 10, epochs: 4 }), {
    strategy: 'lp_ft',
    head: 'new',
    seed: 0,
    checkpoints: [1, 2, 4],
    onCheckpoint: (epoch) => void seen.push(epoch),
  });
  assert.equal(seen, [1, 2, 4]);
  // lr 0 trains nothing: the features are the init's, the head is the fresh one.
  assert.equal(weightsOf(result.model.featureVariables()), weightsOf(init.featureVariables()));
  assert.not.equal(weightsOf(result.model.headVariables()), weightsOf(init.headVariables()));
  init.dispose();
  result.model.dispose();
});

test('sweep keeps the best-scoring candidate and reports every score', async () => {
  const data = blobs(60, 6, 3);
  const made: ReturnType<typeof buildModel>[] = [];
  const result = await sweep(
    [1e-6, 0.05, 1e-5],
    async (lr) => {
      const model = buildModel(mlp, data.shape, 3, 0);
      made.push(model);
      await train(model, data, recipe({ lr, batch: 16, epochs: 3 }), { seed: 0 });
      return model;
    },
    (model) => accuracy(model, data),
  );
  assert.is(result.best, 0.05);
  assert.is(result.model, made[1]);
  assert.is(result.scores.length, 3);
  assert.ok(result.scores[1] > result.scores[0] && result.scores[1] > result.scores[2]);
  result.model.dispose();
});

test('sweep: a diverging candidate scores -Infinity, other errors propagate', async () => {
  const data = blobs(20, 6, 2);
  const result = await sweep(
    [1, 2],
    async (value) => {
      if (value === 1) throw new TrainingError('diverged', 1, 1);
      return buildModel(mlp, data.shape, 2, 0);
    },
    () => 0.5,
  );
  assert.equal(result.scores, [-Infinity, 0.5]);
  assert.is(result.best, 2);
  result.model.dispose();
  await rejects(
    () =>
      sweep(
        [1],
        async () => {
          throw new Error('bad shape');
        },
        () => 0,
      ),
    /bad shape/,
  );
});

test.run();
