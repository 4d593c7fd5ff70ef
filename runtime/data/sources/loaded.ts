import type { Dataset } from '../dataset.ts';

/** What a source yields: its training part (train and val are carved from it) and its test part. */
export interface LoadedSource {
  train: Dataset;
  test: Dataset;
}
