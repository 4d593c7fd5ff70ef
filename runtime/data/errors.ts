/** A problem with the data itself (a bad file, an impossible request): the message names the file or source. */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}
