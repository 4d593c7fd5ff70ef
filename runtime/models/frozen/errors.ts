import { DataError } from '../../data/errors.ts';

/** What is wrong with a model file: it is no model, its input or outputs do not fit the study, a shard is missing. */
export type ModelFileProblem = 'format' | 'input' | 'output' | 'shard';

/** A model file that cannot serve as a frozen backbone; the message names the file. A DataError, so callers print it cleanly. */
export class ModelFileError extends DataError {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly problem: ModelFileProblem = 'format',
  ) {
    super(`${file}: ${reason}`);
    this.name = 'ModelFileError';
  }
}
