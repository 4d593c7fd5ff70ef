// A support split's ε sweep as the paper draws it: each arm's effective robustness against ε, one line per arm
// (colour) and part (dash), each ER's interval as a bar. Beside the sweep's table in the report.
import type { TopLevelSpec } from 'vega-lite';
import type { ComparisonResult, SupportSweepResult } from '../results.ts';
import { erPlotSpec, intervalLevel, type ErPlotX } from './er-plot.ts';

const PARTS = [
  ['in_support', 'in-support'],
  ['out_of_support', 'out-of-support'],
] as const;

/**
 * One row per ε × part × arm with an ER. An empty part (null) and an ER the part's points do not determine
 * (null) are left out; an ER whose line gives no interval (null bounds) keeps its point without a bar.
 */
export function supportSweepRows(comparison: ComparisonResult, sweep: SupportSweepResult) {
  return sweep.rows.flatMap((row) =>
    PARTS.flatMap(([key, part]) => {
      const result = row[key];
      if (!result) return [];
      return Object.keys(comparison.arms).flatMap((arm) => {
        const r = result.arms[arm];
        if (!r || r.er === null) return [];
        return [{ epsilon: row.epsilon, part, size: result.size, arm, er: r.er, low: r.low, high: r.high }];
      });
    }),
  );
}

/** A grid spanning a decade or more (the paper's is 1e-4 … 0.5) is placed on a log axis. */
function epsilonAxis(epsilons: readonly number[]): ErPlotX {
  const decades = Math.max(...epsilons) / Math.min(...epsilons) >= 10;
  return {
    field: 'epsilon',
    type: 'quantitative',
    scale: decades ? { type: 'log', nice: false } : { zero: false, nice: false, padding: 12 },
    axis: {
      title: 'ε (out-of-support when the density ratio is ≥ 1/ε)',
      values: [...epsilons],
      format: '~g',
      labelOverlap: true,
    },
  };
}

/** Null when no part at any ε has an ER to draw. */
export function supportSweepPlotSpec(comparison: ComparisonResult, sweep: SupportSweepResult): TopLevelSpec | null {
  const rows = supportSweepRows(comparison, sweep);
  if (rows.length === 0) return null;
  return erPlotSpec({
    title: `${comparison.name}: effective robustness on the parts of split ${sweep.split} against ε (${intervalLevel(comparison.interval)} intervals)`,
    rows,
    x: epsilonAxis(sweep.rows.map((row) => row.epsilon)),
    metric: comparison.metric,
    scale: comparison.scale,
    color: { field: 'arm', title: 'arm' },
    dash: { field: 'part', title: 'part' },
    tooltip: [
      { field: 'arm', title: 'arm' },
      { field: 'part', title: 'part' },
      { field: 'epsilon', title: 'ε' },
      { field: 'size', title: 'examples' },
    ],
  });
}
