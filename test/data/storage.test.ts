import { mkdtempSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  applyTransform,
  groupIds,
  loadSource,
  makeSplits,
  readDataset,
  writeDataset,
} from '../../runtime/data/index.ts';
import { images } from './tiny.ts';

const dir = mkdtempSync(join(tmpdir(), 'shiftlab-store-'));

test('writeDataset / readDataset round-trip arrays, attributes, augmentation and subspace', async () => {
  const tinted = applyTransform(
    images(50, [3, 3, 1], (n, r, c) => (n + r + c) / 60),
    { kind: 'tint', params: { spurious: 0.7 } },
    0,
    'train',
  );
  const augmented = applyTransform(tinted, { kind: 'augment', params: { hflip: 0.5 } }, 0, 'train');
  await writeDataset(join(dir, 'a'), augmented);
  const back = await readDataset(join(dir, 'a'));
  assert.equal(back, augmented);

  const { train } = await loadSource({ kind: 'gaussian', params: { dim: 6, rank: 2, train: 20, test: 5 } }, 0);
  await writeDataset(join(dir, 'g'), train);
  assert.equal(await readDataset(join(dir, 'g')), train);
});

test('readDataset rejects a truncated array file, naming it', async () => {
  const ds = images(10, [2, 2, 1], () => 0.5);
  await writeDataset(join(dir, 'broken'), ds);
  truncateSync(join(dir, 'broken', 'x.f32'), 8);
  try {
    await readDataset(join(dir, 'broken'));
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, join(dir, 'broken', 'x.f32'));
  }
});

test('makeSplits carves a seeded val fraction out of train, disjoint and complete', () => {
  const train = images(100, [1, 1, 1], (n) => n);
  const test_ = images(10, [1, 1, 1], () => -1);
  const splits = makeSplits({ train, test: test_ }, {}, 0);
  assert.is(splits.val.size, 10);
  assert.is(splits.train.size, 90);
  assert.is(splits.test, test_);
  const all = [...splits.train.x, ...splits.val.x].sort((a, b) => a - b);
  assert.equal(
    all,
    Array.from({ length: 100 }, (_, n) => n),
  );
  assert.equal(makeSplits({ train, test: test_ }, {}, 0).val.x, splits.val.x);
  assert.not.equal(makeSplits({ train, test: test_ }, {}, 1).val.x, splits.val.x);
  assert.is(makeSplits({ train, test: test_ }, { val: 0.25 }, 0).val.size, 25);
});

test('groupIds numbers the label × attribute groups in sorted order', () => {
  const ds = images(
    6,
    [1, 1, 1],
    () => 0,
    3,
    (n) => [2, 0, 2, 1, 0, 2][n],
  );
  ds.attributes.aligned = Int32Array.from([1, 0, 0, 1, 0, 1]);
  const groups = groupIds(ds, ['label', 'aligned']);
  assert.equal(groups.keys, [
    { label: 0, aligned: 0 },
    { label: 1, aligned: 1 },
    { label: 2, aligned: 0 },
    { label: 2, aligned: 1 },
  ]);
  assert.is(groups.count, 4);
  assert.equal(Array.from(groups.ids), [3, 0, 2, 1, 0, 3]);
  assert.throws(() => groupIds(ds, ['tint']), /no attribute 'tint'/);
});

test.run();
