import { CommanderError } from 'commander';
import { buildProgram } from './program.ts';
import { ExitCode } from '../runtime/study/defaults.ts';
import { CliError } from './errors.ts';

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // commander has already printed its message; help and version are not failures.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof CliError) {
    process.stderr.write(`shiftlab: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`shiftlab: internal error: ${message}\n`);
  if (process.env.SHIFTLAB_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return ExitCode.internal;
}

await main(process.argv);
