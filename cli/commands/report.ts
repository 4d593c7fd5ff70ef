// `shiftlab report`: its name, arguments and options; the action module loads only when the command runs.
import type { Command } from 'commander';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('regenerate RESULTS_DIR/report.html (self-contained, offline) from RESULTS_DIR/results.json')
    .argument('<results-dir>', "a run's results folder, e.g. results/<study>")
    .option('--json', 'print {"report": PATH} instead of a sentence')
    .action(async (resultsDir: string, options: { json?: boolean }) =>
      (await import('../actions/report.ts')).report(resultsDir, options),
    );
}
