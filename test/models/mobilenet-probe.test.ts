// A real pre-trained network shipped inside a registry package, used as a frozen backbone: the MobileNetV2
// (ImageNet-pretrained, fine-tuned by nsfwjs) that the npm package nsfwjs ships, written out as a layers
// model.json + shard by examples/backbones/extract-nsfwjs.ts and declared `layers ".." { output "flatten_1" }`.
// A study probes it linearly on a folder of real MNIST digits (PNG files read by the `images` source); the
// features it cached equal tf.js's own predict of the model cut at that layer, the probe beats chance on the
// held-out digits, and the model's weight shard is part of the features jobs' hashes.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import sharp from 'sharp';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { extractNsfwjsMobileNet } from '../../examples/backbones/extract-nsfwjs.ts';
import { readDataset } from '../../runtime/data/serialise.ts';
import { loadSource } from '../../runtime/data/sources/index.ts';
import type { Plan } from '../../runtime/plan.ts';
import { runStudy } from '../../runtime/study/run.ts';
import { jobIn, planClean } from '../helpers/planned.ts';

const dir = mkdtempSync(join(tmpdir(), 'shiftlab-mobilenet-'));
const study = join(dir, 'probe.study');
// Two digit classes, few images: every image costs one 224×224 MobileNet pass.
const DIGITS = [3, 8];
const PER_CLASS = { train: 12, val: 2, test: 8 };
const source = `study mobilenet_probe {
  data digits = images "digits/metadata.csv" { file "file", label "y", split "split", size [28, 28], channels 3 }
  model mobilenet = layers "mobilenet/model.json" { output "flatten_1", size [224, 224] }
  recipe linear { optimizer adam, lr 1e-2, batch 8, epochs 30 }
  arm probe { init mobilenet, train digits, recipe linear }
  expect accuracy(probe, digits.test) > 0.5
}
`;

/** Real MNIST digits of two classes as grey PNG files with a metadata CSV (label 0/1, split train/val/test). */
async function writeDigitFolder(folder: string): Promise<void> {
  const mnist = (await loadSource({ kind: 'mnist', params: { train: 2000, test: 1 } }, 0)).train;
  mkdirSync(join(folder, 'images'), { recursive: true });
  const rows = ['file,y,split'];
  for (const [label, digit] of DIGITS.entries()) {
    let written = 0;
    for (let i = 0; i < mnist.size && written < PER_CLASS.train + PER_CLASS.val + PER_CLASS.test; i++) {
      if (mnist.y[i] !== digit) continue;
      const pixels = Buffer.from(Array.from(mnist.x.subarray(i * 784, (i + 1) * 784), (v) => Math.round(255 * v)));
      const file = `images/${digit}-${written}.png`;
      await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
        .png()
        .toFile(join(folder, file));
      const split = written < PER_CLASS.train ? 'train' : written < PER_CLASS.train + PER_CLASS.val ? 'val' : 'test';
      rows.push(`${file},${label},${split}`);
      written++;
    }
  }
  writeFileSync(join(folder, 'metadata.csv'), `${rows.join('\n')}\n`);
}

let plan: Plan;
const job = (id: string) => jobIn(plan, id);
const replan = () => planClean(study);

test.before(async () => {
  await extractNsfwjsMobileNet(join(dir, 'mobilenet'));
  await writeDigitFolder(join(dir, 'digits'));
  writeFileSync(study, source);
  plan = replan();
});

test('the probe over MobileNet features beats chance on held-out digits; features are what tf.js computes', async () => {
  const cache = join(dir, 'cache');
  const outcome = await runStudy(plan, { cacheDir: cache, outDir: join(dir, 'out'), workers: 0 });
  assert.ok(outcome.ok, outcome.failedJobs.map((failure) => failure.message).join('\n'));
  const [claim] = outcome.results!.expectations;
  // Chance is 0.5 on the balanced test split; the margin leaves room for a small probe on 24 images.
  assert.ok(claim.value >= 0.8, `probe accuracy ${claim.value} on ${2 * PER_CLASS.test} held-out digits`);

  const features = await readDataset(join(cache, job('features:mobilenet on digits.test').hash, 'test'));
  const images = await readDataset(join(cache, job('transform:digits').hash, 'test'));
  assert.equal(features.shape, [1280]);
  assert.is(features.size, 2 * PER_CLASS.test);
  // tf.js's own forward pass of the same files, cut at flatten_1, on three of the decoded test images: the
  // images resized with tf.image's half-pixel bilinear rule (the preprocessing shiftlab documents).
  const folder = join(dir, 'mobilenet');
  const json = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'));
  const network = await tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: new Uint8Array(readFileSync(join(folder, json.weightsManifest[0].paths[0]))).buffer,
    }),
  );
  const cut = tfl.model({
    inputs: network.inputs,
    outputs: network.getLayer('flatten_1').output as tfl.SymbolicTensor,
  });
  const count = 3;
  const direct = tf.tidy(() => {
    const x = tf.tensor4d(images.x.subarray(0, count * 28 * 28 * 3), [count, 28, 28, 3]);
    return cut.predict(tf.image.resizeBilinear(x, [224, 224], false, true)) as tf.Tensor;
  });
  const expected = await direct.data();
  direct.dispose();
  network.dispose();
  let nonZero = 0;
  for (let i = 0; i < count * 1280; i++) {
    assert.ok(Math.abs(features.x[i] - expected[i]) < 1e-5, `feature ${i}: ${features.x[i]} vs ${expected[i]}`);
    if (expected[i] !== 0) nonZero++;
  }
  assert.ok(nonZero > 100, `only ${nonZero} non-zero features`);
});

test("the package's weight shard is an input file of every features job: editing it re-runs them", () => {
  const before = plan;
  const shard = join(dir, 'mobilenet', 'group1-shard1of1.bin');
  const features = before.jobs.filter((j) => j.kind === 'features');
  assert.ok(features.length > 0);
  for (const j of features)
    assert.ok(
      j.inputs?.some((input) => input.path === 'mobilenet/group1-shard1of1.bin'),
      JSON.stringify(j.inputs),
    );
  const bytes = readFileSync(shard);
  bytes[0] ^= 1;
  writeFileSync(shard, bytes);
  plan = replan();
  for (const j of features) assert.is.not(plan.jobs.find((k) => k.id === j.id)!.hash, j.hash, j.id);
  assert.is(job('load:digits').hash, before.jobs.find((j) => j.id === 'load:digits')!.hash);
});

test.run();
