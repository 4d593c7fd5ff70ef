import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderSummary } from '../../cli/results-view.ts';
import type { Results } from '../../runtime/results.ts';

const results = JSON.parse(
  readFileSync(new URL('../report/fixtures/results.json', import.meta.url), 'utf8'),
) as Results;

test('the run summary has one row per arm × shift with ER, its interval and the baseline fit', () => {
  const summary = renderSummary(results);
  for (const comparison of results.comparisons) {
    assert.match(summary, `${comparison.name}: effective robustness (${comparison.metric}, ${comparison.scale} scale`);
    for (const [arm, byShift] of Object.entries(comparison.arms)) {
      for (const [shift, result] of Object.entries(byShift)) {
        const row = summary
          .split('\n')
          .find((line) => line.trim().startsWith(`${arm} `) && line.includes(` ${shift} `));
        assert.ok(row, `a row for ${arm} × ${shift}`);
        const er = `${result.er >= 0 ? '+' : ''}${(result.er * 100).toFixed(2)}%`;
        assert.match(row!, er);
        assert.match(row!, `r² ${comparison.baseline.byShift[shift]!.fit.r2.toFixed(3)}`);
        assert.is(row!.includes('(clipped)'), result.clipped);
      }
    }
  }
});

test('the run summary counts the expectations that hold', () => {
  const held = results.expectations.filter((expectation) => expectation.passed).length;
  assert.match(renderSummary(results), `expectations: ${held} of ${results.expectations.length} hold`);
});

test('the run summary warns when cached jobs came from several backends', () => {
  assert.not.match(renderSummary({ ...results, backendsUsed: { wasm: 12 } }), 'several backends');
  assert.match(
    renderSummary({ ...results, backendsUsed: { wasm: 12, cpu: 3 } }),
    'several backends (wasm 12 jobs, cpu 3 jobs)',
  );
});

test('the run summary says how busy the pool was, when jobs ran', () => {
  assert.not.match(renderSummary({ ...results, pool: undefined }), 'pool:');
  const pool = { workers: 2, seconds: 10, busySeconds: 15, utilisation: 0.75 };
  assert.match(renderSummary({ ...results, pool }), 'pool: 2 workers 75% busy (15.0 of 20.0 worker-seconds)');
});

test('a line resting on clipped baseline points is flagged in its row and warned about', () => {
  const [comparison] = results.comparisons;
  const [shift] = comparison!.shifts;
  const baseline = comparison!.baseline.byShift[shift!]!;
  const clippedPoints = baseline.points.map((point, i) => (i === 0 ? { ...point, clipped: true } : point));
  const clipped: Results = {
    ...results,
    comparisons: [
      {
        ...comparison!,
        baseline: {
          ...comparison!.baseline,
          byShift: { ...comparison!.baseline.byShift, [shift!]: { ...baseline, points: clippedPoints } },
        },
      },
    ],
  };
  assert.not.match(renderSummary(results), 'warning: ');
  const summary = renderSummary(clipped);
  assert.match(
    summary,
    `warning: ${comparison!.name}, ${shift}: the baseline line rests on 1 clipped point(s) of ${baseline.points.length} (${baseline.points[0]!.label})`,
  );
  assert.match(summary, ', 1 clipped');
});
test.run();
