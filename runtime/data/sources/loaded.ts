import type { Dataset } from '../dataset.ts';

/**
 * What a source yields: its training part (train and val are carved from it) and its test part; or, for a
 * source whose files name every example's split (an image folder's split column), the val part as well.
 */
export interface LoadedSource {
  train: Dataset;
  test: Dataset;
  val?: Dataset;
}
