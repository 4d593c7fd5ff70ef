// TF.js graph models read from disk: a small graph (conv → relu → global mean → dense) written in the
// converter's model.json format with its weights in two shards, executed by the real tfjs-converter, and
// checked against the same ops computed directly with tfjs-core.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataError } from '../../runtime/data/errors.ts';
import { graphModelFiles, inspectGraphModel, loadGraphBackbone } from '../../runtime/models/frozen/graph.ts';
import type { Images } from '../../runtime/models/frozen/preprocess.ts';
import { Random } from '../../runtime/random.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const shapeAttr = (dims: number[]) => ({ shape: { dim: dims.map((d) => ({ size: String(d) })) } });
const constNode = (name: string, dtype: 'DT_FLOAT' | 'DT_INT32', dims: number[]) => ({
  name,
  op: 'Const',
  attr: { value: { tensor: { dtype, tensorShape: shapeAttr(dims).shape } }, dtype: { type: dtype } },
});

const random = new Random(3);
const filter = Float32Array.from({ length: 3 * 3 * 3 * 2 }, () => random.normal());
const dense = Float32Array.from({ length: 2 * 2 }, () => random.normal());
const axes = Int32Array.from([1, 2]);

/** Writes model.json + two shards into a fresh folder; `inputDims` lets a test give the input another rank. */
function writeModel(inputDims = [-1, 6, 6, 3]): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'shiftlab-graph-'));
  const nodes = [
    { name: 'pixels', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: shapeAttr(inputDims) } },
    constNode('conv/filter', 'DT_FLOAT', [3, 3, 3, 2]),
    {
      name: 'conv/Conv2D',
      op: 'Conv2D',
      input: ['pixels', 'conv/filter'],
      attr: {
        T: { type: 'DT_FLOAT' },
        strides: { list: { i: ['1', '1', '1', '1'] } },
        padding: { s: b64('SAME') },
        data_format: { s: b64('NHWC') },
        dilations: { list: { i: ['1', '1', '1', '1'] } },
      },
    },
    { name: 'conv/Relu', op: 'Relu', input: ['conv/Conv2D'], attr: { T: { type: 'DT_FLOAT' } } },
    constNode('pool/axes', 'DT_INT32', [2]),
    {
      name: 'pool/Mean',
      op: 'Mean',
      input: ['conv/Relu', 'pool/axes'],
      attr: { keep_dims: { b: false }, T: { type: 'DT_FLOAT' }, Tidx: { type: 'DT_INT32' } },
    },
    constNode('dense/kernel', 'DT_FLOAT', [2, 2]),
    {
      name: 'logits',
      op: 'MatMul',
      input: ['pool/Mean', 'dense/kernel'],
      attr: { T: { type: 'DT_FLOAT' }, transpose_a: { b: false }, transpose_b: { b: false } },
    },
  ];
  const json = {
    format: 'graph-model',
    generatedBy: 'test',
    convertedBy: 'hand',
    modelTopology: { node: nodes, versions: { producer: 1 } },
    weightsManifest: [
      { paths: ['group1-shard1of2.bin'], weights: [{ name: 'conv/filter', shape: [3, 3, 3, 2], dtype: 'float32' }] },
      {
        paths: ['group1-shard2of2.bin'],
        weights: [
          { name: 'pool/axes', shape: [2], dtype: 'int32' },
          { name: 'dense/kernel', shape: [2, 2], dtype: 'float32' },
        ],
      },
    ],
  };
  const file = join(dir, 'model.json');
  writeFileSync(file, JSON.stringify(json));
  writeFileSync(join(dir, 'group1-shard1of2.bin'), Buffer.from(filter.buffer));
  writeFileSync(
    join(dir, 'group1-shard2of2.bin'),
    Buffer.concat([Buffer.from(axes.buffer), Buffer.from(dense.buffer)]),
  );
  return { dir, file };
}

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
