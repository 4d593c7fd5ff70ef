import type { Command } from 'commander';
import { ResultsError } from '../../runtime/report/read-results.ts';
import { UsageError } from '../errors.ts';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('regenerate RESULTS_DIR/report.html (self-contained, offline) from RESULTS_DIR/results.json')
    .argument('<results-dir>', "a run's results folder, e.g. results/<study>")
    .option('--json', 'print {"report": PATH} instead of a sentence')
    .action(async (resultsDir: string, options: { json?: boolean }) => {
      let file: string;
      try {
        // Vega loads only when a report is drawn, so other commands start fast.
        const { writeReport } = await import('../../runtime/report/index.ts');
        file = await writeReport(resultsDir);
      } catch (error) {
        // A missing or malformed results.json is the user's input problem, not an internal error.
        if (error instanceof ResultsError) throw new UsageError(error.message);
        throw error;
      }
      process.stdout.write(options.json ? `${JSON.stringify({ report: file })}\n` : `wrote ${file}\n`);
    });
}
