// What a training job trains on: `balanced_by` balances the groups first, then `limit N` keeps N examples,
// so `limit 40, balanced_by [label]` is a tiny de-biased set of 40 (not a balanced remnant of 40).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { trainingData } from '../../runtime/jobs/handlers/train.ts';
import { histogram, images } from '../data/tiny.ts';

// 400 examples of 2 classes, 90% of them class 0.
const skewed = images(
  400,
  [2, 2, 1],
  () => 0.5,
  2,
  (n) => (n % 10 === 0 ? 1 : 0),
);

test('balanced_by then limit: N examples with the groups equally represented', () => {
  const data = trainingData(skewed, { balancedBy: ['label'], limit: 40, seed: 1 });
  assert.is(data.size, 40);
  // A random 40 of a balanced pool: balanced up to sampling noise (limit alone would give ~36 / 4).
  for (const count of histogram(data.y, 2)) assert.ok(count >= 12 && count <= 28, `class count ${count}`);
});

test('limit alone keeps the skew; balanced_by alone keeps every class balanced', () => {
  const limited = trainingData(skewed, { balancedBy: null, limit: 40, seed: 1 });
  assert.is(limited.size, 40);
  assert.ok(histogram(limited.y, 2)[0]! > 30);
  const balanced = histogram(trainingData(skewed, { balancedBy: ['label'], limit: null, seed: 1 }).y, 2);
  assert.is(balanced[0], balanced[1]);
});

test.run();
