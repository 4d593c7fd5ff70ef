import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { augmentBatch, PALETTE } from '../../runtime/data/index.ts';
import { Random } from '../../runtime/random.ts';
import { images } from './tiny.ts';

const batch = () => images(200, [4, 4, 3], (n, r, c, k) => ((n + r * 4 + c) % 7) / 10 + k / 100).x;

test('no settings: the batch is unchanged', () => {
  const x = batch();
  assert.equal(augmentBatch({}, x.slice(), [4, 4, 3], 200, new Random(1)), x);
});

test('vflip 1 flips every example exactly; vflip 0.5 about half of them', () => {
  const x = batch();
  const flipped = augmentBatch({ vflip: 1 }, x.slice(), [4, 4, 3], 200, new Random(1));
  for (let n = 0; n < 200; n++)
    for (let r = 0; r < 4; r++)
      for (let j = 0; j < 12; j++) assert.is(flipped[n * 48 + r * 12 + j], x[n * 48 + (3 - r) * 12 + j]);
  const half = augmentBatch({ vflip: 0.5 }, x.slice(), [4, 4, 3], 200, new Random(1));
  let changed = 0;
  for (let n = 0; n < 200; n++) if (half.subarray(n * 48, n * 48 + 48).some((v, j) => v !== x[n * 48 + j])) changed++;
  assert.ok(changed > 70 && changed < 130, `${changed} changed`);
});

test('tint 1 blends every example with one palette colour at the default strength 0.25', () => {
  const x = batch();
  const tinted = augmentBatch({ tint: 1 }, x.slice(), [4, 4, 3], 200, new Random(2));
  const used = new Set<number>();
  for (let n = 0; n < 200; n++) {
    // Recover the colour from the first pixel and check it explains every pixel.
    const colour = [0, 1, 2].map((k) => (tinted[n * 48 + k] - 0.75 * x[n * 48 + k]) / 0.25);
    const index = PALETTE.findIndex((p) => p.every((v, k) => Math.abs(v - colour[k]) < 1e-4));
    assert.ok(index >= 0, 'a palette colour');
    used.add(index);
    for (let j = 0; j < 48; j++)
      assert.ok(Math.abs(tinted[n * 48 + j] - (0.75 * x[n * 48 + j] + 0.25 * PALETTE[index][j % 3])) < 1e-5);
  }
  assert.ok(used.size >= 8);
});

test('same random stream, same augmentation; another stream, another', () => {
  const settings = { hflip: 0.5, rotate: 15, pad: 2, noise: 0.05 };
  const a = augmentBatch(settings, batch(), [4, 4, 3], 200, new Random(3));
  const b = augmentBatch(settings, batch(), [4, 4, 3], 200, new Random(3));
  const c = augmentBatch(settings, batch(), [4, 4, 3], 200, new Random(4));
  assert.equal(a, b);
  assert.not.equal(a, c);
  assert.ok(a.every((v) => v >= 0 && v <= 1));
});

test('invert 1 maps every value to 1 − x; vector data takes noise of at most the given spread', () => {
  const x = batch();
  const inverted = augmentBatch({ invert: 1 }, x.slice(), [4, 4, 3], 200, new Random(5));
  assert.ok(inverted.every((v, j) => Math.abs(v - (1 - x[j])) < 1e-6));
  const vectors = new Float32Array(2000 * 4);
  augmentBatch({ noise: 0.3 }, vectors, [4], 2000, new Random(6));
  const spread = Math.sqrt(vectors.reduce((sum, v) => sum + v * v, 0) / vectors.length);
  // std uniform in [0, 0.3]: E[std²] = 0.3² / 3.
  assert.ok(Math.abs(spread - 0.3 / Math.sqrt(3)) < 0.01, `spread ${spread}`);
  assert.ok(
    vectors.some((v) => v < 0),
    'vectors are not clipped',
  );
  assert.throws(() => augmentBatch({ vflip: 0.5 }, vectors, [4], 2000, new Random(6)), /vflip needs images/);
});

test('tint on a grey batch is refused (the augment transform converts data to 3 channels first)', () => {
  assert.throws(() => augmentBatch({ tint: 0.5 }, new Float32Array(16), [4, 4, 1], 1, new Random(0)), /3 channels/);
});

test.run();
