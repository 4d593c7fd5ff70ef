// What a data source is: one definition object (schema, shape, classes, docs, loader), read by the checker,
// the plan's size estimates, the docs generator and the executor alike.
import type { InputShape } from '../shape.ts';
import type { Params } from '../specs.ts';
import { count, num, probability, type ParamTable, type PositionalSpec } from '../../schema.ts';
import type { InputFile } from '../../input-files.ts';
import type { LoadedSource } from './loaded.ts';

export interface SourceDef {
  doc: string;
  attributes: ParamTable;
  /** Positional arguments (`idx "images" "labels"`), stored in the params under their names. */
  positional: readonly PositionalSpec[];
  /** Defaults that depend on other parameters (gaussian's rank is its dim), filled in after the schema's. */
  derived?(params: Params): Params;
  /** The shape of one example, known before loading (`unknown` for files). */
  shape(params: Params): InputShape;
  /** Per-example attributes the source records besides `label` (an image folder's metadata columns). */
  records?(params: Params): string[];
  /** The number of classes, when known before loading. */
  classes(params: Params): number | null;
  /** Train and test example counts known before loading, for plan estimates (files: unknown). */
  counts?: (params: Params) => { train: number; test: number };
  /**
   * The user files it reads, when more than its `path: 'file'` parameters (see runtime/input-files.ts): each is
   * digested into the load job's hash. Sources whose data comes with a package (mnist) or a seed read none.
   */
  inputFiles?(params: Params): InputFile[];
  /** Loads the train and test parts; `params` are checked, defaulted and their paths resolved. Same params and
   *  seed, same arrays. */
  load(params: Params, seed: number): Promise<LoadedSource>;
}

// Attributes several sources share.
export const validation = probability('fraction of the training part carved out as the val split', 0.1);
export const heldOut = num(
  'test examples held out of the training file: a fraction < 1 or a count',
  { min: 0, exclusiveMin: true },
  0.2,
);
export const fileClasses = count('number of classes (default: read from the labels)', undefined, 2);
/** A positional argument naming a user file the source reads (digested into its hash, checked to exist). */
export const path = (name: string, doc: string): PositionalSpec => ({
  name,
  type: { type: 'string', path: 'file' },
  required: true,
  doc,
});
export const declaredClasses = (params: Params) => (typeof params.classes === 'number' ? params.classes : null);
export const trainTest = (params: Params) => ({ train: params.train as number, test: params.test as number });

/**
 * MNIST and Fashion-MNIST: up to 60,000 training and 10,000 test images of 10 classes, 28×28 grey. `extra`
 * adds a source's own attributes after the shared ones.
 */
export function digitsSource(doc: string, load: SourceDef['load'], extra: ParamTable = {}): SourceDef {
  return {
    doc,
    attributes: {
      train: num('training examples', { integer: true, min: 1, max: 60000 }, 60000),
      test: num('test examples', { integer: true, min: 1, max: 10000 }, 10000),
      val: validation,
      ...extra,
    },
    positional: [],
    shape: () => ({ kind: 'image', height: 28, width: 28, channels: 1 }),
    classes: () => 10,
    counts: trainTest,
    load,
  };
}
