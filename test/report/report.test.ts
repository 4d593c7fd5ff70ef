import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { previousPlots } from '../../runtime/report/html.ts';
import { parseResults, renderReport, writeReport } from '../../runtime/report/index.ts';
import type { Results } from '../../runtime/results.ts';
import { runCli } from '../helpers/cli.ts';
import type { Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from './browser.ts';

const fixture = new URL('./fixtures/results.json', import.meta.url);
const results = JSON.parse(readFileSync(fixture, 'utf8')) as Results;
// The fixture's shape, counted from the fixture itself: one plot per comparison × shift, one ER row per
// arm × shift.
const comparison = results.comparisons[0];
const expectedPlots = comparison.shifts.length;
const expectedErRows = Object.keys(comparison.arms).length * comparison.shifts.length;

function count(html: string, pattern: RegExp): number {
  return html.match(pattern)?.length ?? 0;
}

function freshResultsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shiftlab-report-test-'));
  copyFileSync(fixture, join(dir, 'results.json'));
  return dir;
}

test('report has one SVG plot per comparison × shift and one row per ER, split and expectation', async () => {
  const html = await renderReport(parseResults(readFileSync(fixture, 'utf8')));
  assert.is(count(html, /<figure class="plot"/g), expectedPlots);
  assert.is(count(html, /<svg[\s>]/g), expectedPlots);
  assert.is(count(html, /<tr class="er-row">/g), expectedErRows);
  assert.is(count(html, /<tr class="split-row">/g), results.splits.length);
  // Each split's classifier candidates (the chosen one marked) and its part sizes for every ε.
  const candidates = results.splits.reduce((n, s) => n + s.candidates.length, 0);
  assert.is(count(html, /<tr class="candidate-row/g), candidates);
  assert.is(count(html, /<tr class="candidate-row chosen">/g), results.splits.length);
  assert.is(
    count(html, /<tr class="epsilon-row/g),
    results.splits.reduce((n, s) => n + s.sweep.length, 0),
  );
  const [split] = results.splits;
  const at = split!.sweep.find((p) => p.threshold === split!.threshold)!;
  assert.match(
    html,
    `<tr class="epsilon-row chosen"><td class="num">${at.threshold}</td><td class="num">${at.inSupport}</td><td class="num">${at.outOfSupport}</td></tr>`,
  );
  assert.is(count(html, /<tr class="expect-row">/g), results.expectations.length);
  assert.is(count(html, /class="fail">FAIL/g), results.expectations.filter((e) => !e.passed).length);
  assert.is(count(html, /class="flag"/g), 1, 'the clipped arm is flagged once');
  // Self-contained: nothing fetched from elsewhere.
  assert.not.match(html, /<script|<link|src="http|@import/);
  // Probit ticks labelled in accuracy %.
  assert.match(html, />90%</);
});

/** The fixture with a sweep over the parts of `parts` at two ε: both parts at 0.2, an empty out-of-support part at 0.01. */
const sweepRows = (() => {
  const part = (er: number) => ({
    size: 5,
    r2: 0.9,
    n: 3,
    clippedPoints: 0,
    arms: Object.fromEntries(
      Object.keys(comparison.arms).map((arm) => [
        arm,
        { er, low: er - 0.01, high: er + 0.01, x: 0.9, y: 0.8, clipped: false },
      ]),
    ),
  });
  return [
    { epsilon: 0.01, inSupport: 10, outOfSupport: 0, in_support: part(0.001), out_of_support: null },
    { epsilon: 0.2, inSupport: 5, outOfSupport: 5, in_support: part(0.002), out_of_support: part(0.05) },
  ];
})();
const swept: Results = {
  ...results,
  comparisons: [
    { ...comparison, supportSweeps: [{ split: 'parts', rows: sweepRows }] },
    ...results.comparisons.slice(1),
  ],
};

test("a comparison over a split's parts gets a row per ε with every arm's ER on both parts", async () => {
  const arms = Object.keys(comparison.arms);
  const rows = sweepRows;
  const html = await renderReport(swept);
  assert.is(count(html, /<tr class="sweep-row">/g), rows.length);
  assert.is(count(html, /<td class="num">–<\/td>/g), arms.length, 'the empty out-of-support part at ε = 0.01');
  assert.match(html, '<td class="num">+5.00% [+4.00%, +6.00%]</td>');
  // Beside the table, the sweep's plot: ER against ε, drawn to SVG with both axes titled.
  const figures = [
    ...html.matchAll(
      /<figure class="plot sweep-plot" data-sweep="parts" data-plot="([0-9a-f]{64})">(<svg[\s\S]*?<\/svg>)<\/figure>/g,
    ),
  ];
  assert.is(figures.length, 1);
  const svg = figures[0]![2]!;
  assert.match(svg, '>ε (out-of-support when the density ratio is ≥ 1/ε)</text>');
  assert.match(svg, `>effective robustness (${comparison.metric}, ${comparison.scale} scale)</text>`);
  assert.ok(html.indexOf('<figure class="plot sweep-plot"') < html.indexOf('<table class="support-sweep">'));
  assert.is(previousPlots(html).get(figures[0]![1]!), svg, 'reused on a redraw like every plot');
});

test('a report of results without a sweep has no sweep plot', async () => {
  assert.not.ok(
    results.comparisons.some((c) => c.supportSweeps?.length),
    'the fixture has no sweep',
  );
  const html = await renderReport(results);
  assert.not.match(html, 'sweep-plot');
  assert.not.match(html, 'data-sweep=');
});

/** The coloured spans of the highlighted study source: [colour, text with entities decoded]. */
function sourceSpans(html: string): { colour: string; text: string }[] {
  const pre = /<h2>Study source<\/h2>\s*(<pre class="shiki[^"]*"[^>]*>[\s\S]*?<\/pre>)/.exec(html)?.[1];
  assert.ok(pre, 'the study source is a highlighted <pre class="shiki">');
  return [...pre.matchAll(/<span style="color:([^";]+)[^"]*">([^<]*)<\/span>/g)].map(([, colour, text]) => ({
    colour: colour!,
    text: decode(text!),
  }));
}
const decode = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (_, entity: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (entity[0] !== '#') return named[entity.toLowerCase()]!;
    return String.fromCodePoint(
      entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1)),
    );
  });

test('the study source is highlighted with the editor grammar, losslessly and escaped', async () => {
  const html = await renderReport(parseResults(readFileSync(fixture, 'utf8')));
  const spans = sourceSpans(html);
  // Every character of the source is in a span, once, in order (lines end each span group).
  assert.is(spans.map((span) => span.text).join(''), results.study.source.replace(/\n/g, ''));
  assert.not.match(html, '<fails>', 'the source is escaped');
  const colourOf = (text: string) => spans.find((span) => span.text.trim() === text)?.colour;
  const comment = colourOf('// <fails> on purpose');
  assert.ok(comment, 'a comment is one span');
  // Keywords, declared names, numbers and comments each get their own colour from the theme.
  const colours = [colourOf('study'), colourOf('tint_and_flip'), colourOf('0'), comment];
  assert.ok(colours.every(Boolean), JSON.stringify(colours));
  assert.is(new Set(colours).size, colours.length, JSON.stringify(colours));
});

test('writeReport writes report.html next to results.json', async () => {
  const dir = freshResultsDir();
  const file = await writeReport(dir);
  assert.is(file, join(dir, 'report.html'));
  assert.match(readFileSync(file, 'utf8'), '<!DOCTYPE html>');
});

test('parseResults refuses another schema version and malformed files with a clear message', () => {
  assert.throws(
    () => parseResults(JSON.stringify({ ...results, schemaVersion: 99 })),
    /schemaVersion 99 is not supported/,
  );
  assert.throws(() => parseResults('{"schemaVersion": 1'), /not valid JSON/);
  assert.throws(
    () => parseResults(JSON.stringify({ ...results, comparisons: null })),
    /"comparisons" must be an array/,
  );
});

test('writeReport keeps a report drawn from the same results.json when asked, and redraws one from other results', async () => {
  const dir = freshResultsDir();
  const file = await writeReport(dir);
  const mark = () => writeFileSync(file, `${readFileSync(file, 'utf8')}<!-- kept -->`);
  mark();
  await writeReport(dir, { resultsText: readFileSync(join(dir, 'results.json'), 'utf8') });
  assert.match(readFileSync(file, 'utf8'), '<!-- kept -->');
  await writeReport(dir);
  assert.not.match(readFileSync(file, 'utf8'), '<!-- kept -->', 'without resultsText (shiftlab report) it redraws');
  mark();
  writeFileSync(
    join(dir, 'results.json'),
    JSON.stringify({ ...results, study: { ...results.study, title: 'Another title' } }, null, 2),
  );
  await writeReport(dir, { resultsText: readFileSync(join(dir, 'results.json'), 'utf8') });
  const redrawn = readFileSync(file, 'utf8');
  assert.not.match(redrawn, '<!-- kept -->');
  assert.match(redrawn, '<title>Another title</title>');
});

test('shiftlab report RESULTS_DIR regenerates the report; missing or invalid results.json exits 2 in one line', () => {
  const dir = freshResultsDir();
  const ok = runCli(['report', dir, '--json']);
  assert.is(ok.status, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout), { report: join(dir, 'report.html') });
  assert.ok(existsSync(join(dir, 'report.html')));

  const missing = runCli(['report', join(dir, 'nowhere')]);
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /results\.json: no such file/);
  assert.is(missing.stderr.trim().split('\n').length, 1);

  writeFileSync(join(dir, 'results.json'), '{"schemaVersion": 0}');
  const invalid = runCli(['report', dir]);
  assert.is(invalid.status, 2);
  assert.match(invalid.stderr, /schemaVersion 0 is not supported/);

  const help = runCli(['report', '--help']);
  assert.is(help.status, 0);
  assert.match(help.stdout, /results-dir/);
});

/**
 * Opens a report file in Chromium and hands `check` the page once loaded without a console error, a page error
 * or a failed request; false (and a note) when Chromium is not installed.
 */
async function inChromium(file: string, check: (page: Page) => Promise<void>): Promise<boolean> {
  if (!chromiumAvailable()) {
    console.log('  skipped: /usr/bin/chromium not installed (apt-get install -y chromium)');
    return false;
  }
  const context = await launchChromium();
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
    await page.goto(pathToFileURL(file).href);
    assert.equal(errors, []);
    await check(page);
  } finally {
    await context.close();
  }
  return true;
}

test('Chromium draws the sweep plot: one point mark per ε × part × arm with an ER', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shiftlab-report-test-'));
  writeFileSync(join(dir, 'results.json'), JSON.stringify(swept));
  await inChromium(await writeReport(dir), async (page) => {
    const plot = page.locator('figure.sweep-plot svg');
    const box = await plot.boundingBox();
    assert.ok(box && box.width > 300 && box.height > 200, `plot box ${JSON.stringify(box)}`);
    const points = sweepRows.reduce(
      (n, row) => n + [row.in_support, row.out_of_support].filter(Boolean).length * Object.keys(comparison.arms).length,
      0,
    );
    assert.is(await plot.locator('g.mark-symbol.role-mark path').count(), points);
  });
});

test('Chromium renders the report from disk: no console errors, plots and table rows present', async () => {
  await inChromium(await writeReport(freshResultsDir()), async (page) => {
    assert.is(await page.locator('figure.plot svg').count(), expectedPlots);
    assert.is(await page.locator('tr.er-row').count(), expectedErRows);
    assert.is(await page.locator('tr.expect-row').count(), results.expectations.length);
    // The plots are drawn: each has the baseline's points as visible marks with real size.
    const box = await page.locator('figure.plot svg').first().boundingBox();
    assert.ok(box && box.width > 300 && box.height > 200, `plot box ${JSON.stringify(box)}`);
    const marks = await page.locator('figure.plot').first().locator('path.mark-symbol, g.mark-symbol path').count();
    assert.ok(marks >= comparison.baseline.byShift[comparison.shifts[0]].points.length, `${marks} point marks`);
  });
});

test.run();
