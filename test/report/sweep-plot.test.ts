// A support sweep's plot: each arm's ER against ε on both parts. Checked on the rows the spec plots (which
// points, which arms, where the bars are) and its axes; report.test.ts checks the figure on the page.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PAPER_EPSILONS } from '../../runtime/analysis/support-parts.ts';
import { supportSweepPlotSpec, supportSweepRows } from '../../runtime/report/sweep-plot.ts';
import type { Results, SupportSweepPart, SupportSweepResult, SweptArmResult } from '../../runtime/results.ts';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/results.json', import.meta.url), 'utf8')) as Results;
const comparison = fixture.comparisons[0]!;
const [first, second] = Object.keys(comparison.arms) as [string, string];

const arm = (er: number | null, bounds = true): SweptArmResult => ({
  er,
  low: bounds && er !== null ? er - 0.01 : null,
  high: bounds && er !== null ? er + 0.01 : null,
  x: 0.9,
  y: 0.8,
  clipped: false,
});
const part = (size: number, arms: Record<string, SweptArmResult>): SupportSweepPart => ({
  size,
  r2: 0.9,
  n: 3,
  clippedPoints: 0,
  arms,
});

/** Three ε: an empty out-of-support part, an ER the part does not determine, an ER without bounds. */
function sweep(epsilons: readonly [number, number, number]): SupportSweepResult {
  return {
    split: 'parts',
    rows: [
      {
        epsilon: epsilons[0],
        inSupport: 10,
        outOfSupport: 0,
        in_support: part(10, { [first]: arm(0.001), [second]: arm(0.002) }),
        out_of_support: null,
      },
      {
        epsilon: epsilons[1],
        inSupport: 8,
        outOfSupport: 2,
        in_support: part(8, { [first]: arm(0.003), [second]: arm(0.004) }),
        out_of_support: part(2, { [first]: arm(null), [second]: arm(0.05) }),
      },
      {
        epsilon: epsilons[2],
        inSupport: 5,
        outOfSupport: 5,
        in_support: part(5, { [first]: arm(0.005), [second]: arm(0.006, false) }),
        out_of_support: part(5, { [first]: arm(0.07), [second]: arm(0.08) }),
      },
    ],
  };
}

const spread = sweep([PAPER_EPSILONS[0]!, 0.01, PAPER_EPSILONS.at(-1)!]);

test('one point per ε × part × arm with an ER; empty parts and undetermined ERs are left out', () => {
  const rows = supportSweepRows(comparison, spread);
  assert.equal(
    rows.map((row) => [row.epsilon, row.part, row.arm]),
    [
      [PAPER_EPSILONS[0], 'in-support', first],
      [PAPER_EPSILONS[0], 'in-support', second],
      [0.01, 'in-support', first],
      [0.01, 'in-support', second],
      [0.01, 'out-of-support', second],
      [PAPER_EPSILONS.at(-1), 'in-support', first],
      [PAPER_EPSILONS.at(-1), 'in-support', second],
      [PAPER_EPSILONS.at(-1), 'out-of-support', first],
      [PAPER_EPSILONS.at(-1), 'out-of-support', second],
    ],
  );
  assert.equal(
    rows.filter((row) => row.low === null || row.high === null).map((row) => [row.epsilon, row.part, row.arm]),
    [[PAPER_EPSILONS.at(-1), 'in-support', second]],
    'the ER without bounds keeps its point, without a bar',
  );
  const withBar = rows.find((row) => row.part === 'out-of-support' && row.arm === second && row.epsilon === 0.01)!;
  assert.equal([withBar.low, withBar.high, withBar.size], [0.05 - 0.01, 0.05 + 0.01, 2]);
});

test('the spec plots those rows, colour by arm and dash by part, with bars only where both bounds are', () => {
  const spec = supportSweepPlotSpec(comparison, spread) as unknown as {
    data: { values: unknown[] };
    layer: { transform?: { filter: string }[]; encoding: Record<string, { field?: string; datum?: number }> }[];
  };
  assert.equal(spec.data.values, supportSweepRows(comparison, spread));
  const bars = spec.layer.find((layer) => layer.encoding.y2)!;
  assert.is(bars.encoding.y!.field, 'low');
  assert.is(bars.encoding.y2!.field, 'high');
  assert.match(bars.transform![0]!.filter, 'isValid(datum.low)');
  const line = spec.layer.find((layer) => layer.encoding.strokeDash)!;
  assert.is(line.encoding.color!.field, 'arm');
  assert.is(line.encoding.strokeDash!.field, 'part');
  assert.ok(
    spec.layer.some((layer) => layer.encoding.y?.datum === 0),
    'a rule at ER = 0',
  );
});

test('ε on a log axis when the grid spans decades, a linear one when it does not', () => {
  const scaleOf = (result: SupportSweepResult) =>
    JSON.stringify((supportSweepPlotSpec(comparison, result) as { layer: { encoding: { x?: unknown } }[] }).layer[1]);
  assert.match(scaleOf(spread), '"type":"log"');
  assert.not.match(scaleOf(sweep([0.1, 0.2, 0.5])), '"type":"log"');
});

test('a sweep with no ER on any part has no plot', () => {
  const empty: SupportSweepResult = {
    split: 'parts',
    rows: [{ epsilon: 0.1, inSupport: 10, outOfSupport: 0, in_support: null, out_of_support: null }],
  };
  assert.is(supportSweepPlotSpec(comparison, empty), null);
});

test.run();
