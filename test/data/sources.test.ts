import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkSource } from '../../compiler/check/index.ts';
import { distanceFromSubspace, loadSource, trueMargin } from '../../runtime/data/index.ts';
import { histogram } from './tiny.ts';

const equalArrays = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((v, i) => v === b[i]);

test('mnist: the full training file starts with the well-known labels 5 0 4 1 9 2 1 3 1 4', async () => {
  const { train, test: heldOut } = await loadSource({ kind: 'mnist', params: {} }, 0);
  assert.is(train.size, 60000);
  assert.is(heldOut.size, 10000);
  assert.equal(Array.from(train.y.slice(0, 10)), [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
  assert.equal(Array.from(heldOut.y.slice(0, 5)), [7, 2, 1, 0, 4]);
});

test('mnist: a seeded subset has plausible digits, labels and pixel range', async () => {
  const { train, test: heldOut } = await loadSource({ kind: 'mnist', params: { train: 1000, test: 300 } }, 7);
  assert.equal(train.shape, [28, 28, 1]);
  assert.is(train.size, 1000);
  assert.is(train.x.length, 1000 * 784);
  assert.is(heldOut.size, 300);
  // Every digit is about a tenth of a random sample.
  for (const count of histogram(train.y, 10)) assert.ok(count > 50 && count < 160, `class count ${count}`);
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const value of train.x) {
    min = Math.min(min, value);
    max = Math.max(max, value);
    sum += value;
  }
  assert.is(min, 0);
  assert.is(max, 1);
  // MNIST's mean pixel intensity is about 0.13.
  assert.ok(Math.abs(sum / train.x.length - 0.13) < 0.02, `mean ${sum / train.x.length}`);
  // Ones have far less ink than zeros.
  const ink = (label: number) => {
    let total = 0;
    let count = 0;
    for (let n = 0; n < train.size; n++) {
      if (train.y[n] !== label) continue;
      count++;
      for (let j = n * 784; j < (n + 1) * 784; j++) total += train.x[j];
    }
    return total / count;
  };
  assert.ok(ink(1) < 0.6 * ink(0), `ink of 1s ${ink(1)} vs 0s ${ink(0)}`);
});

test('mnist: same seed gives identical arrays, another seed another selection', async () => {
  const params = { train: 200, test: 100 };
  const a = await loadSource({ kind: 'mnist', params }, 1);
  const b = await loadSource({ kind: 'mnist', params }, 1);
  const c = await loadSource({ kind: 'mnist', params }, 2);
  assert.ok(equalArrays(a.train.x, b.train.x) && equalArrays(a.train.y, b.train.y));
  assert.ok(equalArrays(a.test.x, b.test.x));
  assert.not.ok(equalArrays(a.train.x, c.train.x));
});

test('mnist: skip takes the next digits of the same seeded order, disjoint from the first ones', async () => {
  const image = (ds: { x: Float32Array }, n: number) => Array.from(ds.x.subarray(n * 784, (n + 1) * 784)).join();
  const first = (await loadSource({ kind: 'mnist', params: { train: 500, test: 10 } }, 5)).train;
  const next = (await loadSource({ kind: 'mnist', params: { train: 700, test: 10, skip: 500 } }, 5)).train;
  const both = (await loadSource({ kind: 'mnist', params: { train: 1200, test: 10 } }, 5)).train;
  assert.is(next.size, 700);
  const seen = new Set(Array.from({ length: first.size }, (_, n) => image(first, n)));
  const shared = Array.from({ length: next.size }, (_, n) => image(next, n)).filter((key) => seen.has(key));
  // MNIST holds a few byte-identical images; distinct indices could still collide, so allow for them.
  assert.ok(shared.length <= 2, `${shared.length} images shared`);
  // Together they are exactly the first 1,200 of the order (each part sorted by file position).
  const union = new Set([...seen, ...Array.from({ length: next.size }, (_, n) => image(next, n))]);
  const whole = new Set(Array.from({ length: both.size }, (_, n) => image(both, n)));
  assert.ok([...union].every((key) => whole.has(key)));
  // skip 0 is the draw without skip.
  const zero = (await loadSource({ kind: 'mnist', params: { train: 500, test: 10, skip: 0 } }, 5)).train;
  assert.ok(equalArrays(zero.x, first.x));
});

test('mnist: skip + train beyond the 60,000 training digits is a clear error', async () => {
  try {
    await loadSource({ kind: 'mnist', params: { train: 20000, test: 10, skip: 50000 } }, 0);
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.match((error as Error).message, 'mnist: skip 50000 + train 20000 exceeds the 60000 training images');
  }
});

test('fashion_mnist: a small subset of all ten classes, deterministic by seed', async () => {
  const a = await loadSource({ kind: 'fashion_mnist', params: { train: 300, test: 100 } }, 3);
  assert.equal(a.train.shape, [28, 28, 1]);
  assert.is(a.train.size, 300);
  assert.is(a.test.size, 100);
  assert.is(a.train.classes, 10);
  const counts = histogram(a.train.y, 10);
  assert.ok(
    counts.every((count) => count > 10),
    `class counts ${counts}`,
  );
  // The class files are sorted; a seeded selection must not be.
  assert.ok(new Set(Array.from(a.train.y.slice(0, 20))).size > 3);
  const max = a.train.x.reduce((m, v) => Math.max(m, v), 0);
  assert.ok(max <= 1 && max > 0.9);
  // Each image is real content: no blank images.
  for (let n = 0; n < a.train.size; n++) assert.ok(a.train.x.subarray(n * 784, (n + 1) * 784).some((v) => v > 0.2));
  const b = await loadSource({ kind: 'fashion_mnist', params: { train: 300, test: 100 } }, 3);
  const c = await loadSource({ kind: 'fashion_mnist', params: { train: 300, test: 100 } }, 4);
  assert.ok(equalArrays(a.train.x, b.train.x) && equalArrays(a.test.y, b.test.y));
  assert.not.ok(equalArrays(a.train.x, c.train.x));
});

test('fashion_mnist: asking for more images than its schema allows is a checker error', () => {
  const { diagnostics } = checkSource('study s {\n  data d = fashion_mnist { train 70000, test 1000 }\n}', 's.study');
  assert.equal(
    diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`),
    ["S3001 'train' must be in [1, 60000], got 70000"],
  );
});

test('gaussian: inputs lie in a rank-r subspace, labels follow the class means', async () => {
  const { train, test: heldOut } = await loadSource(
    { kind: 'gaussian', params: { dim: 16, rank: 4, train: 500, test: 500, separation: 3 } },
    0,
  );
  assert.equal(train.shape, [16]);
  assert.is(heldOut.size, 500);
  assert.is(train.subspace!.basis.length, 4 * 16);
  for (let n = 0; n < train.size; n++) assert.ok(distanceFromSubspace(train, n) < 1e-4);
  // Independently of the stored basis: the inputs' Gram matrix has rank 4 (Gaussian elimination).
  const rows = Array.from({ length: 40 }, (_, n) => Array.from(train.x.slice(n * 16, (n + 1) * 16)));
  let rank = 0;
  for (let column = 0; column < 16 && rank < rows.length; column++) {
    const pivot = rows
      .slice(rank)
      .reduce((best, row, i) => (Math.abs(row[column]) > Math.abs(rows[best][column]) ? rank + i : best), rank);
    if (Math.abs(rows[pivot][column]) < 1e-3) continue;
    [rows[rank], rows[pivot]] = [rows[pivot], rows[rank]];
    for (let i = rank + 1; i < rows.length; i++) {
      const factor = rows[i][column] / rows[rank][column];
      for (let j = column; j < 16; j++) rows[i][j] -= factor * rows[rank][j];
    }
    rank++;
  }
  assert.is(rank, 4);
  // Means at ±1.5 with unit noise: the Bayes rule is right Φ(1.5) ≈ 93% of the time.
  let correct = 0;
  for (let n = 0; n < heldOut.size; n++) if (trueMargin(heldOut, n) > 0) correct++;
  assert.ok(Math.abs(correct / heldOut.size - 0.933) < 0.04, `bayes accuracy ${correct / heldOut.size}`);
  const again = await loadSource(
    { kind: 'gaussian', params: { dim: 16, rank: 4, train: 500, test: 500, separation: 3 } },
    0,
  );
  assert.ok(equalArrays(train.x, again.train.x));
});

test('an unknown source kind is a DataError', async () => {
  try {
    await loadSource({ kind: 'imagenet' as never, params: {} }, 0);
    assert.unreachable();
  } catch (error) {
    assert.is((error as Error).name, 'DataError');
  }
});

test.run();
