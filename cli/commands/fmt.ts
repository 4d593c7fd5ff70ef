// `shiftlab fmt`: its name, arguments and options; the action module loads only when the command runs.
import type { Command } from 'commander';
import type { FmtOptions } from '../actions/fmt.ts';

export function registerFmt(program: Command): void {
  program
    .command('fmt')
    .description('print .study files in their canonical layout (every comment kept)')
    .argument('<files...>', '.study files to format (- reads standard input)')
    .option('--check', 'change nothing; print a diff for each file not formatted and exit 1 if there is one')
    .option('--write', 'rewrite files in place (only those that change)')
    .option('--json', 'with --check or --write: one JSON object per file on stdout instead of diffs and names')
    .addHelpText(
      'after',
      '\nWithout --check or --write, the formatted text of the (single) file goes to stdout.\n' +
        'Files with syntax errors are not formatted: their errors are reported and the exit code is 1.\n',
    )
    .action(async (files: string[], options: FmtOptions) => (await import('../actions/fmt.ts')).fmt(files, options));
}
