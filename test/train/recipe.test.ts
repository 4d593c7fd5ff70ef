import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs-core';
import { clipByGlobalNorm, learningRateAt, makeOptimizer, recipe } from '../../runtime/train/index.ts';
import { useCpu } from '../models/setup.ts';

test.before(useCpu);

const close = (a: number, b: number, tolerance = 1e-6) => assert.ok(Math.abs(a - b) < tolerance, `${a} ≉ ${b}`);

test('constant schedule, with and without warm-up', () => {
  const spec = recipe({ lr: 0.1 });
  close(learningRateAt(spec, 0, 10, 0), 0.1);
  close(learningRateAt(spec, 9, 10, 0), 0.1);
  close(learningRateAt(spec, 0, 10, 4), 0.025);
  close(learningRateAt(spec, 3, 10, 4), 0.1);
  close(learningRateAt(spec, 7, 10, 4), 0.1);
});

test('cosine schedule: lr at the start, half-way at the middle, near zero at the end', () => {
  const spec = recipe({ lr: 0.2, schedule: 'cosine' });
  close(learningRateAt(spec, 0, 100, 0), 0.2);
  close(learningRateAt(spec, 50, 100, 0), 0.1);
  close(learningRateAt(spec, 25, 100, 0), 0.1 * (1 + Math.SQRT1_2));
  assert.ok(learningRateAt(spec, 99, 100, 0) < 0.001);
  // After 20 warm-up steps the cosine runs over the remaining 80.
  close(learningRateAt(spec, 60, 100, 20), 0.1);
});

test('triangle schedule: up to lr at the peak, back to zero at the end', () => {
  const spec = recipe({ lr: 1, schedule: 'triangle' });
  close(learningRateAt(spec, 0, 100, 0), 1 / 25);
  close(learningRateAt(spec, 24, 100, 0), 1);
  close(learningRateAt(spec, 25, 100, 0), 1);
  close(learningRateAt(spec, 55, 100, 0), 0.6);
  close(learningRateAt(spec, 99, 100, 0), 1 / 75);
  close(learningRateAt(spec, 9, 100, 10), 1); // peak at the end of warm-up when given
});

test('sgd with momentum and weight decay matches the update rule by hand', () => {
  const optimizer = makeOptimizer(recipe({ optimizer: 'sgd', momentum: 0.5, weight_decay: 0.1 }));
  const w = tf.variable(tf.tensor1d([1, -2]));
  const g = tf.tensor1d([0.5, 0.5]);
  optimizer.step([w], [g], 0.1);
  // v1 = g + 0.1·w = [0.6, 0.3]; w1 = w − 0.1·v1
  const w1 = [1 - 0.06, -2 - 0.03];
  assert.equal(
    Array.from(w.dataSync()).map((v) => +v.toFixed(6)),
    w1,
  );
  optimizer.step([w], [g], 0.1);
  // v2 = 0.5·v1 + g + 0.1·w1
  const v2 = [0.3 + 0.5 + 0.1 * w1[0], 0.15 + 0.5 + 0.1 * w1[1]];
  Array.from(w.dataSync()).forEach((v, i) => close(v, w1[i] - 0.1 * v2[i], 1e-5));
  optimizer.dispose();
  tf.dispose([w, g]);
});

test('adam takes a step of size lr along the gradient sign first; adamw also decays decoupled', () => {
  const adam = makeOptimizer(recipe({ optimizer: 'adam' }));
  const w = tf.variable(tf.tensor1d([1, 1]));
  const g = tf.tensor1d([3, -0.01]);
  adam.step([w], [g], 0.01);
  Array.from(w.dataSync()).forEach((v, i) => close(v, [0.99, 1.01][i], 1e-5));
  const adamw = makeOptimizer(recipe({ optimizer: 'adamw', weight_decay: 0.5 }));
  const u = tf.variable(tf.tensor1d([2]));
  adamw.step([u], [tf.tensor1d([1])], 0.1);
  close(u.dataSync()[0], 2 - 0.1 * (1 + 0.5 * 2), 1e-5);
  adam.dispose();
  adamw.dispose();
  tf.dispose([w, g, u]);
});

test('gradient clipping scales to the global norm only when above it', () => {
  const [a, b] = clipByGlobalNorm([tf.tensor1d([3]), tf.tensor1d([4])], 1);
  close(a.dataSync()[0], 0.6);
  close(b.dataSync()[0], 0.8);
  const [c] = clipByGlobalNorm([tf.tensor1d([0.3])], 1);
  close(c.dataSync()[0], 0.3);
});

test.run();
