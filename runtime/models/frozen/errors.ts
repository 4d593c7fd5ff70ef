import { DataError } from '../../data/errors.ts';

/** A model file that cannot serve as a frozen backbone; the message names the file. A DataError, so callers print it cleanly. */
export class ModelFileError extends DataError {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'ModelFileError';
  }
}
