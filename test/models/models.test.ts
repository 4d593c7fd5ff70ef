import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rejects } from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import {
  ARCHITECTURES,
  buildModel,
  cloneModel,
  createModel,
  loadModel,
  predict,
  saveModel,
  toModelSpec,
} from '../../runtime/models/index.ts';
import { argmax } from '../../runtime/eval/index.ts';
import { randomDataset, useCpu, weightsOf } from './setup.ts';

test.before(useCpu);

test('mlp, convnet and resnet produce [batch, classes] logits and expose features and head', () => {
  const cases = [
    { spec: { kind: 'mlp' as const, hidden: [5, 4] }, shape: [6], featureDim: 4 },
    { spec: { kind: 'mlp' as const, hidden: [] }, shape: [3, 3, 1], featureDim: 9 },
    { spec: { kind: 'convnet' as const, channels: [2, 3], dense: 7 }, shape: [8, 8, 1], featureDim: 7 },
    { spec: { kind: 'resnet' as const, blocks: [1, 1], width: 2 }, shape: [8, 8, 3], featureDim: 4 },
  ];
  for (const { spec, shape, featureDim } of cases) {
    const model = buildModel(spec, shape, 3, 7);
    assert.equal(model.inputShape, shape);
    assert.is(model.featureDim, featureDim, spec.kind);
    const logits = tf.tidy(() => model.logits(tf.zeros([2, ...shape])).shape);
    assert.equal(logits, [2, 3]);
    assert.is(model.headVariables().length, 2);
    assert.is(model.featureVariables().length + 2, model.allVariables().length);
    model.dispose();
  }
});

test('dispose frees every tensor a model holds, including after a head swap and a clone', async () => {
  const before = tf.memory().numTensors;
  const model = buildModel({ kind: 'resnet', blocks: [1], width: 2 }, [6, 6, 1], 3, 0);
  predict(model, randomDataset(4, [6, 6, 1], 3));
  const copy = await cloneModel(model);
  model.dispose();
  copy.dispose();
  assert.is(tf.memory().numTensors, before);
});

test('logistic regression has no feature weights', () => {
  const model = buildModel({ kind: 'mlp', hidden: [] }, [4], 2, 0);
  assert.is(model.featureVariables().length, 0);
  model.dispose();
});

test('same seed gives identical weights and predictions; another seed differs', () => {
  const data = randomDataset(10, [6, 6, 1], 3);
  const spec = { kind: 'convnet' as const, channels: [2], dense: 4 };
  const [a, b, c] = [1, 1, 2].map((seed) => buildModel(spec, data.shape, 3, seed));
  assert.equal(weightsOf(a.allVariables()), weightsOf(b.allVariables()));
  assert.equal(predict(a, data), predict(b, data));
  assert.not.equal(weightsOf(a.allVariables()), weightsOf(c.allVariables()));
  [a, b, c].forEach((m) => m.dispose());
});

test('predict returns probabilities that sum to one, argmax picks the largest', () => {
  const data = randomDataset(7, [5], 3);
  const model = buildModel({ kind: 'mlp', hidden: [4] }, [5], 3, 3);
  const probs = predict(model, data, 3);
  assert.is(probs.length, 21);
  for (let i = 0; i < 7; i++) assert.ok(Math.abs(probs[i * 3] + probs[i * 3 + 1] + probs[i * 3 + 2] - 1) < 1e-5);
  assert.equal(Array.from(argmax(new Float32Array([0.1, 0.7, 0.2, 0.5, 0.2, 0.3]), 3)), [1, 0]);
  model.dispose();
});

test('save/load round trip restores spec, classes and predictions; clone is independent', async () => {
  const data = randomDataset(6, [4, 4, 1], 2);
  const model = buildModel({ kind: 'convnet', channels: [2], dense: 3 }, data.shape, 2, 5);
  const dir = join(mkdtempSync(join(tmpdir(), 'shiftlab-model-')), 'ckpt');
  await saveModel(model, dir);
  const loaded = await loadModel(dir);
  assert.equal(loaded.spec, model.spec);
  assert.is(loaded.classes, 2);
  assert.equal(predict(loaded, data), predict(model, data));
  const copy = await cloneModel(model);
  copy.headVariables()[1].assign(tf.ones([2]));
  assert.not.equal(weightsOf(copy.headVariables()), weightsOf(model.headVariables()));
  [model, loaded, copy].forEach((m) => m.dispose());
});

test('a user model.json loads; its last dense layer becomes the head (weights kept when classes match)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shiftlab-user-'));
  const source = buildModel({ kind: 'mlp', hidden: [3] }, [4], 2, 9);
  await saveModel(source, dir);
  // Strip shiftlab's metadata: this is now an ordinary TF.js layers model.
  const path = join(dir, 'model.json');
  const json = JSON.parse(readFileSync(path, 'utf8'));
  delete json.userDefinedMetadata;
  writeFileSync(path, JSON.stringify(json));
  const data = randomDataset(5, [4], 2);
  const same = await createModel({ kind: 'load', path }, [4], 2, 1);
  assert.equal(predict(same, data), predict(source, data));
  const wider = await createModel({ kind: 'load', path }, [4], 5, 1);
  assert.is(wider.classes, 5);
  assert.is(predict(wider, data).length, 25);
  await rejects(() => loadModel(dir), /not written by shiftlab/);
  [source, same, wider].forEach((m) => m.dispose());
});

test('a user model whose input shape does not fit the data is a clear error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shiftlab-user-'));
  const source = buildModel({ kind: 'mlp', hidden: [3] }, [4], 2, 9);
  await saveModel(source, dir);
  await rejects(
    () => createModel({ kind: 'load', path: join(dir, 'model.json') }, [28, 28, 1], 2, 1),
    /expects inputs of shape \[4\] but the data has shape \[28, 28, 1\]/,
  );
  await rejects(() => createModel({ kind: 'load', path: join(dir, 'missing.json') }, [4], 2, 1), /file not found/);
  source.dispose();
});

test('toModelSpec converts the checker form and rejects bad params', () => {
  assert.equal(toModelSpec('convnet', { channels: [8, 16], dense: 32 }), {
    kind: 'convnet',
    channels: [8, 16],
    dense: 32,
  });
  assert.equal(toModelSpec('resnet', { blocks: 2, width: 8 }), { kind: 'resnet', blocks: [2], width: 8 });
  assert.throws(() => toModelSpec('convnet', { channels: 'x', dense: 3 }), /channels must be/);
  assert.throws(() => toModelSpec('transformer', {}), /unknown model architecture transformer/);
});

test("each architecture builds its own spec (no switch over kinds), unset params from its schema's defaults", () => {
  const required: Record<string, Record<string, string>> = { load: { path: 'model.json' } };
  for (const [kind, def] of Object.entries(ARCHITECTURES)) {
    const spec = toModelSpec(kind, required[kind] ?? {});
    assert.is(spec.kind, kind);
    for (const [name, attribute] of Object.entries(def.attributes)) {
      const value = (spec as unknown as Record<string, unknown>)[name];
      // resnet's `blocks 2` is one stage: [2].
      assert.equal(
        value,
        typeof attribute.default === 'number' && Array.isArray(value) ? [attribute.default] : attribute.default,
        `${kind}.${name}`,
      );
    }
  }
});

test.run();
