// The user's own IDX files: `idx "images" "labels"`, optionally with separate test files.
import { readIdxFile } from '../idx.ts';
import { stringParam } from '../params.ts';
import type { Params } from '../specs.ts';
import { classCount, holdOutTest } from './held-out.ts';
import { checkIdxPair, idxDataset, type IdxPair } from './images.ts';
import type { LoadedSource } from './loaded.ts';
import { DataError } from '../errors.ts';

function readPair(imagesFile: string, labelsFile: string): IdxPair {
  const pair = { images: readIdxFile(imagesFile), labels: readIdxFile(labelsFile), imagesFile, labelsFile };
  checkIdxPair(pair);
  return pair;
}

const everyIndex = (pair: IdxPair) => Int32Array.from({ length: pair.labels.dims[0] }, (_, i) => i);
const maxLabel = (pair: IdxPair) => pair.labels.data.reduce((max, label) => Math.max(max, label), 0);

export async function loadIdxFiles(params: Params, seed: number): Promise<LoadedSource> {
  const main = readPair(stringParam(params, 'idx', 'images'), stringParam(params, 'idx', 'labels'));
  const testImages = stringParam(params, 'idx', 'test_images', true);
  const testLabels = stringParam(params, 'idx', 'test_labels', true);
  if ((testImages === undefined) !== (testLabels === undefined)) {
    throw new DataError('idx: test_images and test_labels must be given together');
  }
  const test = testImages && testLabels ? readPair(testImages, testLabels) : undefined;
  const largest = Math.max(maxLabel(main), test ? maxLabel(test) : 0);
  const culprit = test && maxLabel(test) === largest ? test.labelsFile : main.labelsFile;
  const classes = classCount(params, 'idx', largest, () => culprit);
  if (test) {
    const shape = checkIdxPair(main).join('×');
    if (checkIdxPair(test).join('×') !== shape) {
      throw new DataError(`${test.imagesFile}: images are ${checkIdxPair(test).join('×')}, but ${main.imagesFile} holds ${shape}`);
    }
    return { train: idxDataset(main, everyIndex(main), classes), test: idxDataset(test, everyIndex(test), classes) };
  }
  return holdOutTest(idxDataset(main, everyIndex(main), classes), params, 'idx', seed);
}
