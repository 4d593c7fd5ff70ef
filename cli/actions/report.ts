import { ResultsError } from '../../runtime/report/read-results.ts';
import { UsageError } from '../errors.ts';

export async function report(resultsDir: string, options: { json?: boolean }): Promise<void> {
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
}
