// What a training objective is: one definition object per objective (as transforms are), holding its schema
// (types, ranges, defaults, docs: the checker and the docs read it) and `prepare`, which turns the study's
// parameters and the training data into the TrainingObjective the training loop minimises.
import type { Dataset } from '../../data/dataset.ts';
import type { Params } from '../../data/specs.ts';
import type { ParamTable } from '../../schema.ts';
import type { TrainingObjective } from '../objective.ts';

/** `objective group_dro { eta 0.01 }` as plain data in a train job's spec; `params` hold every default. */
export interface ObjectiveSpec {
  kind: string;
  params: Params;
}

/** What `prepare` may ask of the training job besides the data: JTT's identification run. */
export interface ObjectiveContext {
  /**
   * Trains a fresh copy exactly as the job would (same model, init, strategy and recipe, another seed) with
   * plain ERM for `epochs` epochs, and returns 1 for each training example it gets wrong.
   */
  identify(epochs: number): Promise<Uint8Array>;
}

export interface ObjectiveDef {
  /** One line, for the docs and the editor. */
  doc: string;
  /** Where the method comes from, for the docs. */
  reference: string;
  attributes: ParamTable;
  /** `params` are checked against `attributes` and defaulted from them. */
  prepare(data: Dataset, params: Params, context: ObjectiveContext): Promise<TrainingObjective>;
}
