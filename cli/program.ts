import { Command } from 'commander';
import { version } from '../runtime/version.ts';
import { commands } from './commands/index.ts';

/**
 * The `shiftlab` program with every command registered (main.ts runs it; docs render its help).
 * `configure` adjusts output settings before the commands are added, so they inherit them.
 */
export function buildProgram(configure: (program: Command) => void = () => {}): Command {
  const program = new Command('shiftlab')
    .description('A language and compiler for robustness studies under distribution shift.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    // Set before subcommands are added so they inherit it: commander then throws instead of exiting.
    .exitOverride();
  configure(program);
  for (const register of commands) register(program);
  return program;
}
