import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.ts';
import { CliError } from './errors.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

function buildProgram(): Command {
  const program = new Command('shiftlab')
    .description('A language and compiler for robustness studies under distribution shift.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    // Set before subcommands are added so they inherit it: commander then throws instead of exiting.
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

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
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof CliError) {
    process.stderr.write(`shiftlab: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`shiftlab: internal error: ${message}\n`);
  if (process.env.SHIFTLAB_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 70;
}

await main(process.argv);
