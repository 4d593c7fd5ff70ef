// `shiftlab diff`: its name, arguments and options; the action module loads only when the command runs.
import type { Command } from 'commander';
import type { DiffOptions } from '../actions/diff.ts';

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description(
      'semantic diff of two studies: what changed, and which jobs each change invalidates (retrains, re-evaluates, analysis only, cosmetic)',
    )
    .argument(
      '[files...]',
      'OLD NEW; or the 7 arguments git passes an external diff driver; or, with --git, the files to compare',
    )
    .option('--format <format>', 'output format: text, markdown or json', 'text')
    .option('--exit-code', 'exit 1 when there is a semantic change, 0 when there is none (2 on errors)')
    .option(
      '--git <rev>',
      'compare working-tree files with their version at REV (all changed .study files unless FILES are given)',
    )
    .addHelpText(
      'after',
      '\nAs a git diff driver: .gitattributes `*.study diff=study`, then\n  git config diff.study.command "shiftlab diff"',
    )
    .action(async (files: string[], options: DiffOptions) => (await import('../actions/diff.ts')).diff(files, options));
}
