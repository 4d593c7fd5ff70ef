// User files may come as a single set: the test part is then held out of it by seed.
import type { Dataset } from '../dataset.ts';
import { DataError } from '../errors.ts';
import { subset } from '../ops.ts';
import { numberParam } from '../params.ts';
import type { Params } from '../specs.ts';
import { deriveSeed, Random } from '../../random.ts';
import type { LoadedSource } from './loaded.ts';

/** Splits `all` by `params.test` (a fraction below 1, or a count; default 0.2) into train and test parts. */
export function holdOutTest(all: Dataset, params: Params, owner: string, seed: number): LoadedSource {
  const test = numberParam(params, owner, 'test', 0.2, { min: 0 });
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
export function classCount(params: Params, owner: string, files: { file: string; maxLabel: number }[]): number {
  const largest = Math.max(...files.map((entry) => entry.maxLabel));
  const declared = numberParam(params, owner, 'classes', largest + 1, { min: 1, integer: true });
  const culprit = files.find((entry) => entry.maxLabel >= declared);
  if (culprit) throw new DataError(`${culprit.file}: label ${culprit.maxLabel} is out of range for ${declared} classes`);
  return declared;
}
