import { ExitCode } from '../runtime/study/defaults.ts';

/** Errors the CLI reports as one clean line (never a stack trace), with the exit code they carry. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.usage,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad usage: a missing file, an unknown flag, a flag value out of range. Exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.usage);
    this.name = 'UsageError';
  }
}
