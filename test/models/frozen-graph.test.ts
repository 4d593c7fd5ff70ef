// TF.js graph models read from disk: a small graph (conv → relu → global mean → dense) written in the
// converter's model.json format with its weights in two shards, executed by the real tfjs-converter, and
// checked against the same ops computed directly with tfjs-core.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataError } from '../../runtime/data/errors.ts';
import { graphModelFiles, inspectGraphModel } from '../../runtime/models/frozen/graph-json.ts';
import { loadGraphBackbone } from '../../runtime/models/frozen/graph.ts';
import type { Images } from '../../runtime/models/frozen/preprocess.ts';
import { Random } from '../../runtime/random.ts';

import { dense, filter, writeModel } from './graph-fixture.ts';

async function rejects(promise: Promise<unknown>, parts: string[]) {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, DataError);
    for (const part of parts)
      assert.ok((error as Error).message.includes(part), `"${(error as Error).message}" should contain ${part}`);
    return;
  }
  assert.unreachable('expected a rejection');
}

/** Grey 4×5 images (a different size from the model's, so resize and grey → RGB both run). */
function greyImages(count: number): Images {
  const r = new Random(9);
  return { shape: [4, 5, 1], size: count, x: Float32Array.from({ length: count * 20 }, () => r.next()) };
}

test.before(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

test('inspect reads model.json only: input, sinks, nodes; the file list names every shard', async () => {
  const { dir, file } = writeModel();
  const signature = await inspectGraphModel(file);
  assert.equal(signature.inputs, [{ name: 'pixels', shape: [null, 6, 6, 3] }]);
  assert.equal(
    signature.outputs.map((o) => o.name),
    ['logits'],
  );
  assert.ok(signature.nodes.includes('pool/Mean'));
  assert.equal(await graphModelFiles(file), [
    file,
    join(dir, 'group1-shard1of2.bin'),
    join(dir, 'group1-shard2of2.bin'),
  ]);
});

test('features from an intermediate node and the final output match the same ops run directly', async () => {
  const { file } = writeModel();
  const images = greyImages(5);
  const mean = [0.5, 0.4, 0.3];
  const std = [0.2, 0.25, 0.3];
  const pooled = await loadGraphBackbone(file, { output: 'pool/Mean', mean, std, batchSize: 2 });
  const { features, dim } = await pooled.features(images);
  assert.is(dim, 2);
  const logits = await loadGraphBackbone(file, { mean, std });
  const out = await logits.features(images);
  // Reference: grey → RGB, resize with tf's half-pixel bilinear (PyTorch's rule), normalise, conv, relu, mean, matmul.
  const x = tf.tidy(() => {
    const grey = tf.tensor4d(images.x, [5, 4, 5, 1]);
    const rgb = tf.concat([grey, grey, grey], 3);
    const resized = tf.image.resizeBilinear(rgb, [6, 6], false, true);
    return tf.div(tf.sub(resized, tf.tensor1d(mean)), tf.tensor1d(std));
  });
  const h = tf.mean(tf.relu(tf.conv2d(x as tf.Tensor4D, tf.tensor4d(filter, [3, 3, 3, 2]), 1, 'same')), [1, 2]);
  const expectedFeatures = await h.data();
  const expectedLogits = await tf.matMul(h as tf.Tensor2D, tf.tensor2d(dense, [2, 2])).data();
  for (let i = 0; i < 10; i++) {
    assert.ok(Math.abs(features[i] - expectedFeatures[i]) < 1e-5, `pooled feature ${i}`);
    assert.ok(Math.abs(out.features[i] - expectedLogits[i]) < 1e-5, `logit ${i}`);
  }
  await pooled.dispose();
  await logits.dispose();
});

test('a missing weight shard names the shard', async () => {
  const { dir, file } = writeModel();
  rmSync(join(dir, 'group1-shard2of2.bin'));
  await rejects((async () => inspectGraphModel(file))(), [file, join(dir, 'group1-shard2of2.bin'), 'missing']);
  await rejects(loadGraphBackbone(file, { output: 'logits' }), [file, join(dir, 'group1-shard2of2.bin'), 'missing']);
});

test('an unknown node, a wrong input rank, a size mismatch and a non-graph file name the file', async () => {
  const { dir, file } = writeModel();
  await rejects(loadGraphBackbone(file, { output: 'pool/Max' }), [file, "no output 'pool/Max'", 'logits']);
  await rejects(loadGraphBackbone(file, { size: [8, 8] }), [file, '6×6', 'size [8, 8]']);
  const flat = writeModel([-1, 108]);
  await rejects(loadGraphBackbone(flat.file), [flat.file, 'rank 2']);
  const bogus = join(dir, 'other.json');
  writeFileSync(bogus, '{"modelTopology": {}}');
  await rejects((async () => inspectGraphModel(bogus))(), [bogus, 'not a TF.js graph model']);
  writeFileSync(bogus, 'not json');
  await rejects(loadGraphBackbone(bogus), [bogus, 'not JSON']);
});

test.run();
