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
  const classes = classCount(
    params,
    'idx',
    [main, ...(test ? [test] : [])].map((pair) => ({ file: pair.labelsFile, maxLabel: maxLabel(pair) })),
  );
  if (test) {
    const [trainShape, testShape] = [main, test].map((pair) => checkIdxPair(pair).join('×'));
    if (testShape !== trainShape) {
      throw new DataError(`${test.imagesFile}: images are ${testShape}, but ${main.imagesFile} holds ${trainShape}`);
    }
    return { train: idxDataset(main, everyIndex(main), classes), test: idxDataset(test, everyIndex(test), classes) };
  }
  return holdOutTest(idxDataset(main, everyIndex(main), classes), params, 'idx', seed);
}
