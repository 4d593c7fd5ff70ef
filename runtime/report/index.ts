// The HTML report of a run: `renderReport(results)` for the page, `writeReport(dir)` to regenerate
// `<dir>/report.html` from `<dir>/results.json`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReport } from './html.ts';
import { readResults } from './read-results.ts';

export { renderReport } from './html.ts';
export { comparisonPlotSpec, renderSvg, shiftPlotSpec } from './comparison-plot.ts';
export { parseResults, readResults, ResultsError } from './read-results.ts';

/** Reads `<resultsDir>/results.json`, writes `<resultsDir>/report.html`, returns the report's path. */
export async function writeReport(resultsDir: string): Promise<string> {
  const html = await renderReport(readResults(join(resultsDir, 'results.json')));
  const file = join(resultsDir, 'report.html');
  writeFileSync(file, html);
  return file;
}
