// ONNX backbones against the real PyTorch exporter: test/fixtures/onnx/make_onnx.py built the networks and
// recorded PyTorch's own outputs for fixed images; shiftlab's preprocessing + onnxruntime must reproduce them.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataError } from '../../runtime/data/errors.ts';
import { inspectOnnx, loadOnnxBackbone } from '../../runtime/models/frozen/onnx.ts';
import type { Images } from '../../runtime/models/frozen/preprocess.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'onnx');
const convnet = join(fixtures, 'convnet.onnx');
const nhwc = join(fixtures, 'convnet_nhwc.onnx');
const flat = join(fixtures, 'flat.onnx');

interface Case {
  shape: number[];
  pixels: number[];
  features: number[];
  logits: number[];
}
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as {
  size: [number, number];
  mean: number[];
  std: number[];
  cases: Case[];
};

const asImages = (c: Case): Images => ({ shape: c.shape, size: 1, x: Float32Array.from(c.pixels, (v) => v / 255) });

async function rejects(promise: Promise<unknown>, parts: (string | RegExp)[]) {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, DataError);
    const message = (error as Error).message;
    for (const part of parts) {
      if (typeof part === 'string') assert.ok(message.includes(part), `"${message}" should contain ${part}`);
      else assert.match(message, part);
    }
    return;
  }
  assert.unreachable('expected a rejection');
}

test('inspect lists inputs and outputs without running the model', async () => {
  const signature = await inspectOnnx(convnet);
  assert.equal(signature.inputs, [{ name: 'pixels', shape: [null, 3, 16, 16] }]);
  assert.equal(
    signature.outputs.map((o) => o.name),
    ['features', 'logits'],
  );
});

for (const [name, file] of [
  ['NCHW (PyTorch)', convnet],
  ['NHWC', nhwc],
] as const) {
  test(`${name}: features and logits match PyTorch's to 1e-4 (resize, grey → RGB, mean/std, batching)`, async () => {
    for (const output of ['features', 'logits'] as const) {
      const backbone = await loadOnnxBackbone(file, {
        output,
        size: expected.size,
        mean: expected.mean,
        std: expected.std,
        batchSize: 1,
      });
      for (const [i, c] of expected.cases.entries()) {
        const { features, dim } = await backbone.features(asImages(c));
        assert.is(dim, c[output].length);
        const worst = Math.max(...c[output].map((v, j) => Math.abs(v - features[j])));
        assert.ok(worst < 1e-4, `${output} of case ${i} (${c.shape.join('×')}) differs from PyTorch by ${worst}`);
      }
      await backbone.dispose();
    }
  });
}

test('batches of several images give the same rows as one at a time', async () => {
  // The 16×16 colour case, repeated with a second image: stack two cases of the same shape.
  const same = expected.cases.filter((c) => c.shape.join() === '16,16,3');
  const c = same[0];
  const images: Images = {
    shape: c.shape,
    size: 3,
    x: Float32Array.from([...c.pixels, ...c.pixels.map((v) => 255 - v), ...c.pixels], (v) => v / 255),
  };
  const backbone = await loadOnnxBackbone(convnet, {
    output: 'features',
    mean: expected.mean,
    std: expected.std,
    batchSize: 2,
  });
  const { features, dim } = await backbone.features(images);
  assert.is(features.length, 3 * dim);
  for (let j = 0; j < dim; j++) {
    assert.ok(Math.abs(features[j] - c.features[j]) < 1e-4);
    assert.ok(Math.abs(features[2 * dim + j] - c.features[j]) < 1e-4, 'the last, partial batch too');
  }
  assert.ok(
    features.subarray(dim, 2 * dim).some((v, j) => Math.abs(v - c.features[j]) > 1e-3),
    'the inverted image differs',
  );
  await backbone.dispose();
});

test('an unknown output name lists the available ones; several outputs need a name', async () => {
  await rejects(loadOnnxBackbone(convnet, { output: 'embedding' }), [
    convnet,
    "no output 'embedding'",
    'features, logits',
  ]);
  await rejects(loadOnnxBackbone(convnet, {}), [convnet, 'features, logits', 'output']);
});

test('a file that is not ONNX names the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shiftlab-onnx-'));
  const bogus = join(dir, 'model.onnx');
  writeFileSync(bogus, 'this is not a protobuf');
  await rejects(loadOnnxBackbone(bogus), [bogus, 'not a readable ONNX model']);
  await rejects(inspectOnnx(bogus), [bogus, 'not a readable ONNX model']);
  const truncated = join(dir, 'truncated.onnx');
  writeFileSync(truncated, readFileSync(convnet).subarray(0, 1000));
  await rejects(loadOnnxBackbone(truncated), [truncated, 'not a readable ONNX model']);
});

test('wrong input rank and input size mismatch name the file', async () => {
  await rejects(loadOnnxBackbone(flat), [flat, "input 'vector' has rank 2", 'rank 4']);
  await rejects(loadOnnxBackbone(convnet, { output: 'features', size: [32, 32] }), [convnet, '16×16', 'size [32, 32]']);
});

test.run();
