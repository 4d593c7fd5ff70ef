// The user's own IDX files: `idx "images" "labels"`, optionally with separate test files.
import { readIdxFile } from '../idx.ts';
import type { Params } from '../specs.ts';
import { classCount, holdOutTest } from './held-out.ts';
import { checkIdxPair, idxDataset, type IdxPair } from './images.ts';
import type { LoadedSource } from './loaded.ts';
import { DataError } from '../errors.ts';
import { pathText } from '../../schema.ts';
import { declaredClasses, fileClasses, heldOut, path, validation, type SourceDef } from './source.ts';

function readPair(imagesFile: string, labelsFile: string): IdxPair {
  const pair = { images: readIdxFile(imagesFile), labels: readIdxFile(labelsFile), imagesFile, labelsFile };
  checkIdxPair(pair);
  return pair;
}

const everyIndex = (pair: IdxPair) => Int32Array.from({ length: pair.labels.dims[0] }, (_, i) => i);
const maxLabel = (pair: IdxPair) => pair.labels.data.reduce((max, label) => Math.max(max, label), 0);

async function loadIdxFiles(params: Params, seed: number): Promise<LoadedSource> {
  const main = readPair(params.images as string, params.labels as string);
  const testImages = params.test_images as string | undefined;
  const testLabels = params.test_labels as string | undefined;
  if ((testImages === undefined) !== (testLabels === undefined)) {
    throw new DataError('idx: test_images and test_labels must be given together');
  }
  const test = testImages && testLabels ? readPair(testImages, testLabels) : undefined;
  const classes = classCount(
    params,
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

export const idx: SourceDef = {
  doc: 'an IDX image file and an IDX label file',
  attributes: {
    test_images: pathText('a separate IDX test image file'),
    test_labels: pathText('a separate IDX test label file'),
    test: heldOut,
    val: validation,
    classes: fileClasses,
  },
  positional: [path('images', 'the IDX image file'), path('labels', 'the IDX label file')],
  shape: () => ({ kind: 'unknown' }),
  classes: declaredClasses,
  load: loadIdxFiles,
};
