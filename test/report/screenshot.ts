// Renders a report and saves docs/report-screenshot.png (for the README): from a run's results folder when
// one is given, else from the test fixture.
//   node --import tsx test/report/screenshot.ts [RESULTS_DIR]
import { mkdtempSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeReport } from '../../runtime/report/index.ts';
import { launchChromium } from './browser.ts';

const dir = mkdtempSync(join(tmpdir(), 'shiftlab-report-'));
const results = process.argv[2]
  ? join(process.argv[2], 'results.json')
  : fileURLToPath(new URL('./fixtures/results.json', import.meta.url));
copyFileSync(results, join(dir, 'results.json'));
const report = await writeReport(dir);
const context = await launchChromium();
try {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1100, height: 900 });
  await page.goto(pathToFileURL(report).href);
  const output = fileURLToPath(new URL('../../docs/report-screenshot.png', import.meta.url));
  await page.screenshot({ path: output, fullPage: true });
  console.log(`wrote ${output}`);
} finally {
  await context.close();
}
