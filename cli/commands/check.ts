// `shiftlab check`: its name, arguments and options; the action module loads only when the command runs.
import type { Command } from 'commander';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('check .study files: syntax, names, types, ranges and study structure')
    .argument('<files...>', '.study files to check')
    .option('--format <format>', 'output format: text or json', 'text')
    .action(async (files: string[], options: { format: string }) =>
      (await import('../actions/check.ts')).check(files, options),
    );
}
