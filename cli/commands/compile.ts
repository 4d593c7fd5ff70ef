// `shiftlab compile`: its name, arguments and options; the action module loads only when the command runs.
import type { Command } from 'commander';

export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description(
      'compile a study to a standalone TypeScript script that builds the same plan and runs it (npx tsx OUT.ts)',
    )
    .argument('<file>', '.study file to compile')
    .option(
      '-o, --output <file>',
      'write the script here instead of to stdout (the script locates the study folder, for input files, from here)',
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 compiled, 1 the study has errors (they are printed), 2 usage error or unreadable file.\n',
    )
    .action(async (file: string, options: { output?: string }) =>
      (await import('../actions/compile.ts')).compile(file, options),
    );
}
