// Redrawing a report reuses the SVG of every plot whose spec (and vega versions) did not change, and draws
// the others: a no-op run does not pay for vega, and a changed result is never shown with a stale plot.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { plotKey, shiftPlotSpec } from '../../runtime/report/comparison-plot.ts';
import { previousPlots, renderReport } from '../../runtime/report/html.ts';
import type { Results } from '../../runtime/results.ts';

const results = JSON.parse(readFileSync(new URL('./fixtures/results.json', import.meta.url), 'utf8')) as Results;
const comparison = results.comparisons[0]!;
const shift = comparison.shifts[0]!;

test('a report lists its plots by key, and a plot under the same key is reused, not redrawn', async () => {
  const first = await renderReport(results);
  const plots = previousPlots(first);
  assert.is(
    plots.size,
    results.comparisons.reduce((n, c) => n + c.shifts.length, 0),
  );
  const key = plotKey(shiftPlotSpec(comparison, shift));
  assert.ok(plots.get(key)?.startsWith('<svg'));
  const marker = '<svg id="reused"></svg>';
  const again = await renderReport(results, new Map([...plots, [key, marker]]));
  assert.ok(again.includes(marker), 'the remembered SVG is used');
  assert.equal(previousPlots(again).size, plots.size);
});

test('a changed result changes the key, so its plot is drawn again', async () => {
  const changed = structuredClone(results);
  const before = plotKey(shiftPlotSpec(comparison, shift));
  changed.comparisons[0]!.baseline.name = 'renamed';
  assert.is.not(plotKey(shiftPlotSpec(changed.comparisons[0]!, shift)), before);
  const redrawn = await renderReport(changed, new Map([[before, '<svg id="stale"></svg>']]));
  assert.not.ok(redrawn.includes('id="stale"'));
});

test.run();
