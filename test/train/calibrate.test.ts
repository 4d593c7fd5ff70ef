import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs-core';
import { calibrateTraining } from '../../runtime/train/calibrate.ts';
import { useCpu } from '../models/setup.ts';

test.before(useCpu);

test('calibration trains the architecture on inputs of the given shape and leaks no tensors', async () => {
  const before = tf.memory().numTensors;
  const rate = await calibrateTraining({ kind: 'mlp', hidden: [4] }, [6], 3, 8, 0.05);
  assert.ok(Number.isFinite(rate) && rate > 0, `samples/s ${rate}`);
  assert.is(tf.memory().numTensors, before);
});

test('a shape the architecture cannot take is an error, not a figure', async () => {
  let failed = false;
  await calibrateTraining({ kind: 'convnet', channels: [2], dense: 4 }, [6], 3, 8, 0.05).catch(() => (failed = true));
  assert.ok(failed);
});

test.run();
