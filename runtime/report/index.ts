// The HTML report of a run: `renderReport(results)` for the page, `writeReport(dir)` to regenerate
// `<dir>/report.html` from `<dir>/results.json`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { previousPlots, renderReport } from './html.ts';
import { readResults } from './read-results.ts';

export { renderReport } from './html.ts';
export { comparisonPlotSpec, renderSvg, shiftPlotSpec } from './comparison-plot.ts';
export { comparisonFamilies, familyPlotSpec } from './family-plot.ts';
export { parseResults, readResults, ResultsError } from './read-results.ts';

/** Reads `<resultsDir>/results.json`, writes `<resultsDir>/report.html`, returns the report's path. */
export async function writeReport(resultsDir: string): Promise<string> {
  const file = join(resultsDir, 'report.html');
  let previous = new Map<string, string>();
  try {
    previous = previousPlots(readFileSync(file, 'utf8'));
  } catch {
    // No earlier report: every plot is drawn.
  }
  const html = await renderReport(readResults(join(resultsDir, 'results.json')), previous);
  writeFileSync(file, html);
  return file;
}
