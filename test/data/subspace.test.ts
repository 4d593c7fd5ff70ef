import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyTransform, distanceFromSubspace, loadSource, trueMargin } from '../../runtime/data/index.ts';

const { train } = await loadSource({ kind: 'gaussian', params: { dim: 12, rank: 4, train: 400, test: 10 } }, 5);
const norm = (x: Float32Array, n: number, dim: number) => Math.hypot(...x.subarray(n * dim, (n + 1) * dim));

test('rotate_subspace moves inputs out of W by the angle, preserving their norms', () => {
  for (const degrees of [30, 60, 90]) {
    const rotated = applyTransform(train, { kind: 'rotate_subspace', params: { degrees } }, 0, 'test');
    for (let n = 0; n < train.size; n++) {
      const length = norm(train.x, n, 12);
      assert.ok(Math.abs(norm(rotated.x, n, 12) - length) < 1e-4 * (1 + length));
      // Every basis direction has a partner (dim ≥ 2·rank), so the whole W part turns by the angle.
      const outside = distanceFromSubspace(rotated, n);
      assert.ok(
        Math.abs(outside - length * Math.sin((degrees * Math.PI) / 180)) < 1e-4 * (1 + length),
        `${degrees}°: ${outside}`,
      );
    }
  }
  const none = applyTransform(train, { kind: 'rotate_subspace', params: { degrees: 0 } }, 0, 'test');
  assert.ok(none.x.every((v, j) => Math.abs(v - train.x[j]) < 1e-6));
});

test('resample keeps only examples within `margin` of the true boundary (or beyond it with keep far)', () => {
  const near = applyTransform(train, { kind: 'resample', params: { margin: 0.5 } }, 0, 'test');
  const far = applyTransform(train, { kind: 'resample', params: { margin: 0.5, keep: 'far' } }, 0, 'test');
  assert.is(far.size + near.size, train.size);
  assert.ok(far.size > 0 && near.size > 0);
  for (let n = 0; n < far.size; n++) assert.ok(Math.abs(trueMargin(far, n)) >= 0.5);
  for (let n = 0; n < near.size; n++) assert.ok(Math.abs(trueMargin(near, n)) < 0.5);
  // Still inside W: an in-support shift.
  for (let n = 0; n < far.size; n++) assert.ok(distanceFromSubspace(far, n) < 1e-4);
});

test('trueMargin is the signed distance to the midpoint hyperplane between the two class means', () => {
  const { means } = train.subspace!;
  const dim = 12;
  const direction = Array.from({ length: dim }, (_, i) => means[dim + i] - means[i]);
  const length = Math.hypot(...direction);
  for (let n = 0; n < 20; n++) {
    const projection = direction.reduce(
      (sum, d, i) => sum + (d / length) * (train.x[n * dim + i] - (means[i] + means[dim + i]) / 2),
      0,
    );
    assert.ok(Math.abs(trueMargin(train, n) - (train.y[n] === 1 ? projection : -projection)) < 1e-5);
  }
});

test.run();
