import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyTransform, groupIds, PALETTE, type Dataset, type TransformSpec } from '../../runtime/data/index.ts';
import { histogram, images, pixel } from './tiny.ts';

const apply = (
  ds: Dataset,
  kind: string,
  params: TransformSpec['params'] = {},
  seed = 0,
  split: 'train' | 'val' | 'test' = 'train',
) => applyTransform(ds, { kind, params }, seed, split);

// 4×5 grey images whose pixel (r, c) of example n is distinct: (n·20 + r·5 + c) / 1000.
const grey = images(30, [4, 5, 1], (n, r, c) => (n * 20 + r * 5 + c) / 1000);

test('tint: x ← (1 − s)·x + s·colour exactly; grey becomes 3 channels; records tint and aligned', () => {
  const before = grey.x.slice();
  const out = apply(grey, 'tint', { strength: 0.25, spurious: 0.5 });
  assert.equal(out.shape, [4, 5, 3]);
  assert.equal(grey.x, before, 'input untouched');
  for (let n = 0; n < out.size; n++) {
    const colour = PALETTE[out.attributes.tint[n]];
    assert.is(out.attributes.aligned[n], out.attributes.tint[n] === out.y[n] ? 1 : 0);
    for (let r = 0; r < 4; r++)
      for (let c = 0; c < 5; c++)
        for (let k = 0; k < 3; k++) {
          const expected = 0.75 * pixel(grey, n, r, c) + 0.25 * colour[k];
          assert.ok(Math.abs(pixel(out, n, r, c, k) - expected) < 1e-6);
        }
  }
});

test('tint: the aligned rate is spurious + (1 − spurious)/classes over 2000 examples', () => {
  const many = images(2000, [1, 1, 1], () => 0.5);
  for (const spurious of [0, 0.5, 0.9]) {
    const out = apply(many, 'tint', { strength: 0.3, spurious }, 4);
    const rate = out.attributes.aligned.reduce((sum, a) => sum + a, 0) / out.size;
    const expected = spurious + (1 - spurious) / 10;
    assert.ok(Math.abs(rate - expected) < 0.03, `spurious ${spurious}: rate ${rate}`);
    // The non-aligned colours are spread over the other classes.
    assert.ok(histogram(out.attributes.tint, 10).every((count) => count > 100));
  }
});

test('tint on 3-channel images tints each channel; same seed same colours, other split other colours', () => {
  const colour = images(200, [2, 2, 3], (_n, _r, _c, k) => k / 4);
  const a = apply(colour, 'tint', { strength: 0.5, spurious: 0 });
  assert.ok(Math.abs(pixel(a, 0, 1, 1, 2) - (0.5 * 0.5 + 0.5 * PALETTE[a.attributes.tint[0]][2])) < 1e-6);
  assert.equal(apply(colour, 'tint', { strength: 0.5, spurious: 0 }).attributes.tint, a.attributes.tint);
  assert.not.equal(apply(colour, 'tint', { strength: 0.5 }, 0, 'test').attributes.tint, a.attributes.tint);
});

test('tint palette random: one colour per class shared by every split and distribution, not the fixed ones', () => {
  const out = apply(grey, 'tint', { strength: 0.5, spurious: 0.5, palette: 'random' });
  const other = apply(grey, 'tint', { strength: 0.5, spurious: 0, palette: 'random' }, 9, 'test');
  const colourOf = (ds: Dataset, n: number) => {
    // x = 0.5·grey + 0.5·colour, so colour = 2·x − grey.
    return [0, 1, 2].map((k) => Number((2 * pixel(ds, n, 0, 0, k) - pixel(grey, n, 0, 0)).toFixed(4)));
  };
  const byClass = new Map<number, string>();
  for (const ds of [out, other])
    for (let n = 0; n < ds.size; n++) {
      const key = colourOf(ds, n).join();
      const known = byClass.get(ds.attributes.tint[n]);
      if (known === undefined) byClass.set(ds.attributes.tint[n], key);
      else assert.is(key, known, `class ${ds.attributes.tint[n]} has one colour`);
    }
  assert.ok(byClass.size >= 5);
  const fixed = new Set(PALETTE.map((colour) => colour.map((v) => Number(v.toFixed(4))).join()));
  assert.ok(
    [...byClass.values()].every((key) => !fixed.has(key)),
    'no fixed-palette colour',
  );
  // Unset palette is the fixed one, exactly as `palette fixed`.
  assert.equal(apply(grey, 'tint', { strength: 0.5 }).x, apply(grey, 'tint', { strength: 0.5, palette: 'fixed' }).x);
});

test('vflip and hflip mirror every image exactly; p < 1 flips about that fraction and records it', () => {
  const v = apply(grey, 'vflip');
  const h = apply(grey, 'hflip');
  for (let n = 0; n < grey.size; n++)
    for (let r = 0; r < 4; r++)
      for (let c = 0; c < 5; c++) {
        assert.is(pixel(v, n, r, c), pixel(grey, n, 3 - r, c));
        assert.is(pixel(h, n, r, c), pixel(grey, n, r, 4 - c));
      }
  assert.ok(v.attributes.vflip.every((flag) => flag === 1));
  const many = images(1000, [2, 1, 1], (_n, r) => r);
  const half = apply(many, 'vflip', { p: 0.5 });
  const flipped = half.attributes.vflip.reduce((sum, flag) => sum + flag, 0);
  assert.ok(Math.abs(flipped - 500) < 60, `${flipped} flipped`);
  for (let n = 0; n < many.size; n++) assert.is(pixel(half, n, 0, 0), half.attributes.vflip[n]);
});

test('pad: black border then resized back: same shape, border dark, content shrunk toward the centre', () => {
  const white = images(2, [8, 8, 1], () => 1);
  const padded = apply(white, 'pad', { pixels: 2 });
  assert.equal(padded.shape, [8, 8, 1]);
  // 8 + 2·2 = 12 pixels squeezed into 8: output pixel 0's centre samples padded position 0.25 (border).
  assert.is(pixel(padded, 0, 0, 0), 0);
  assert.is(pixel(padded, 0, 4, 4), 1);
  let ink = 0;
  for (let j = 0; j < 64; j++) ink += padded.x[j];
  // The white area is 8/12 of each side: about 64 · (8/12)² ≈ 28 pixels' worth.
  assert.ok(Math.abs(ink - 64 * (8 / 12) ** 2) < 4, `ink ${ink}`);
  assert.equal(apply(white, 'pad', { pixels: 0 }).x, white.x);
});

test('rotate: 90° turns rows into columns; 180° equals both flips', () => {
  const square = images(3, [5, 5, 1], (n, r, c) => n + r * 5 + c);
  const quarter = apply(square, 'rotate', { degrees: 90 });
  const half = apply(square, 'rotate', { degrees: 180 });
  const both = apply(apply(square, 'vflip'), 'hflip');
  for (let n = 0; n < 3; n++)
    for (let r = 0; r < 5; r++)
      for (let c = 0; c < 5; c++) {
        // Counter-clockwise: the top row ends up as the left column, read bottom to top.
        assert.ok(Math.abs(pixel(quarter, n, r, c) - pixel(square, n, c, 4 - r)) < 1e-4);
        assert.ok(Math.abs(pixel(half, n, r, c) - pixel(both, n, r, c)) < 1e-4);
      }
});

test('noise has the asked spread and keeps images in [0, 1]; invert maps x to 1 − x', () => {
  const mid = images(400, [5, 5, 1], () => 0.5);
  const noisy = apply(mid, 'noise', { std: 0.1 });
  const deviations = Array.from(noisy.x, (v) => v - 0.5);
  const std = Math.sqrt(deviations.reduce((sum, d) => sum + d * d, 0) / deviations.length);
  assert.ok(Math.abs(std - 0.1) < 0.005, `std ${std}`);
  const clipped = apply(mid, 'noise', { std: 2 });
  assert.ok(clipped.x.every((v) => v >= 0 && v <= 1));
  const inverted = apply(grey, 'invert');
  assert.ok(inverted.x.every((v, j) => Math.abs(v - (1 - grey.x[j])) < 1e-7));
});

test('label_shift keeps a minority fraction of the classes at `rate`; reverse picks the last classes', () => {
  const ds = images(1000, [1, 1, 1], () => 0); // 100 of each class
  const reference = apply(ds, 'label_shift', { minority: 0.5, rate: 0.2 });
  assert.equal(histogram(reference.y, 10), [20, 20, 20, 20, 20, 100, 100, 100, 100, 100]);
  const shifted = apply(ds, 'label_shift', { minority: 0.5, rate: 0.2, reverse: 1 });
  assert.equal(histogram(shifted.y, 10), [100, 100, 100, 100, 100, 20, 20, 20, 20, 20]);
  const few = apply(ds, 'label_shift', { minority: 0.3, rate: 0.5 });
  assert.equal(histogram(few.y, 10), [50, 50, 50, 100, 100, 100, 100, 100, 100, 100]);
  const rates = apply(ds, 'class_rates', { rates: [1, 0.5, 0, 0, 0, 0, 0, 0, 0, 0.1] });
  assert.equal(histogram(rates.y, 10), [100, 50, 0, 0, 0, 0, 0, 0, 0, 10]);
});

test('limit keeps n examples chosen by seed; balanced_by equalises groups', () => {
  const ds = images(1000, [1, 1, 1], (n) => n);
  const limited = apply(ds, 'limit', { n: 50 });
  assert.is(limited.size, 50);
  const chosen = Array.from(limited.x);
  assert.is(new Set(chosen).size, 50);
  assert.not.equal(
    chosen,
    Array.from({ length: 50 }, (_, n) => n),
    'not simply the first 50',
  );
  assert.equal(Array.from(apply(ds, 'limit', { n: 50 }).x), chosen);
  assert.not.equal(Array.from(apply(ds, 'limit', { n: 50 }, 1).x), chosen);

  const tinted = apply(ds, 'tint', { strength: 0.1, spurious: 0.8 });
  const balanced = apply(tinted, 'balanced_by', { attributes: ['label', 'aligned'] });
  const groups = groupIds(balanced, ['label', 'aligned']);
  assert.is(groups.count, 20);
  assert.ok(histogram(groups.ids, groups.count).every((count) => count === balanced.size / 20));
  assert.ok(balanced.size >= 20 && balanced.size < tinted.size);
  const exact = apply(tinted, 'balanced_by', { attributes: ['aligned'], per_group: 300 });
  assert.equal(histogram(exact.attributes.aligned, 2), [300, 300]);
});

test('augment records its settings on the training split only and makes grey data 3-channel for tints', () => {
  const train = apply(grey, 'augment', { vflip: 0.5, tint: 0.5 });
  assert.equal(train.augmentation, { vflip: 0.5, tint: 0.5 });
  assert.equal(train.shape, [4, 5, 3]);
  assert.is(pixel(train, 3, 2, 1, 2), pixel(grey, 3, 2, 1));
  const test_ = apply(grey, 'augment', { vflip: 0.5, tint: 0.5 }, 0, 'test');
  assert.is(test_.augmentation, undefined);
  assert.equal(test_.shape, [4, 5, 3]);
  assert.equal(apply(grey, 'augment', { hflip: 0.5 }).shape, [4, 5, 1]);
});

test('image transforms on vector data, unknown kinds and missing attributes are DataErrors', () => {
  const vectors: Dataset = {
    shape: [3],
    classes: 2,
    size: 1,
    x: new Float32Array(3),
    y: new Int32Array(1),
    attributes: {},
  };
  assert.throws(() => apply(vectors, 'vflip'), /needs images/);
  assert.throws(() => apply(grey, 'sharpen'), /unknown transform 'sharpen'/);
  assert.throws(() => apply(grey, 'balanced_by', { attributes: ['colour'] }), /no attribute 'colour'/);
  assert.throws(() => apply(vectors, 'rotate_subspace', { degrees: 10 }), /gaussian/);
});

test.run();
