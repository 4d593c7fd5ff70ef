// The HTML report of a run: `renderReport(results)` for the page, `writeReport(dir)` to regenerate
// `<dir>/report.html` from `<dir>/results.json`.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { version } from '../version.ts';
import { previousPlots, renderReport, resultsKeyOf } from './html.ts';
import { parseResults, readResultsText } from './read-results.ts';

export { renderReport } from './html.ts';
export { comparisonPlotSpec, renderSvg, shiftPlotSpec } from './comparison-plot.ts';
export { comparisonFamilies, familyPlotSpec } from './family-plot.ts';
export { supportSweepPlotSpec } from './sweep-plot.ts';
export { parseResults, readResults, ResultsError } from './read-results.ts';

/** What a report is drawn from: the exact text of its results.json, and the shiftlab version drawing it. */
function resultsKey(text: string): string {
  return createHash('sha256').update(`shiftlab@${version}\n${text}`).digest('hex');
}

export interface WriteReportOptions {
  /**
   * The results.json text a run just wrote or kept. Given, a report.html drawn from this very text (its key says
   * so) is left alone: a run whose results did not change skips the drawing, which loads shiki, vega and
   * @stdlib. Without it (`shiftlab report`) results.json is read and the report always redrawn.
   */
  resultsText?: string;
}

/** Writes `<resultsDir>/report.html` from `<resultsDir>/results.json`, returns the report's path. */
export async function writeReport(resultsDir: string, options: WriteReportOptions = {}): Promise<string> {
  const file = join(resultsDir, 'report.html');
  const resultsFile = join(resultsDir, 'results.json');
  const text = options.resultsText ?? readResultsText(resultsFile);
  const key = resultsKey(text);
  let previous: string | undefined;
  try {
    previous = readFileSync(file, 'utf8');
  } catch {
    // No earlier report: every plot is drawn.
  }
  if (options.resultsText !== undefined && previous !== undefined && resultsKeyOf(previous) === key) return file;
  const html = await renderReport(parseResults(text, resultsFile), previousPlots(previous ?? ''), key);
  writeFileSync(file, html);
  return file;
}
