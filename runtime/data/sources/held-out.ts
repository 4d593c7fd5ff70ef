// User files may come as a single set: the test part is then held out of it by seed.
import type { Dataset } from '../dataset.ts';
import { DataError } from '../errors.ts';
import { subset } from '../ops.ts';
import type { Params } from '../specs.ts';
import { deriveSeed, Random } from '../../random.ts';
import type { LoadedSource } from './loaded.ts';

/** Splits `all` by `params.test` (a fraction below 1, or a count) into train and test parts. */
export function holdOutTest(all: Dataset, params: Params, owner: string, seed: number): LoadedSource {
  const test = params.test as number;
  const testCount = test < 1 ? Math.round(test * all.size) : test;
  if (!Number.isInteger(testCount) || testCount < 1 || testCount >= all.size) {
    throw new DataError(`${owner}: cannot hold out ${testCount} test examples from ${all.size}`);
  }
  const order = new Random(deriveSeed(seed, owner, 'test')).permutation(all.size);
  return {
    train: subset(all, order.slice(testCount).sort()),
    test: subset(all, order.slice(0, testCount).sort()),
  };
}

/** The declared class count, or one more than the largest label in any file; every file checked against it. */
export function classCount(params: Params, files: { file: string; maxLabel: number }[]): number {
  const largest = Math.max(...files.map((entry) => entry.maxLabel));
  const declared = (params.classes as number | undefined) ?? largest + 1;
  const culprit = files.find((entry) => entry.maxLabel >= declared);
  if (culprit)
    throw new DataError(`${culprit.file}: label ${culprit.maxLabel} is out of range for ${declared} classes`);
  return declared;
}
