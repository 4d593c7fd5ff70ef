// Effective robustness against a swept value: one line per series, each ER's interval as a bar, a dashed rule
// at zero. What a comparison family's plot (ER against the index) and a support sweep's plot (ER against ε)
// share; each builds its rows and x axis and hands them here.
import type { TopLevelSpec } from 'vega-lite';

/** A point of a line: its ER and the interval's bounds (null bounds: the point is drawn without a bar). */
export interface ErPoint {
  er: number;
  low: number | null;
  high: number | null;
}

/** The x channel: a quantitative value (the index, ε) or an ordinal one (names), on its own field. */
export interface ErPlotX {
  field: string;
  type: 'quantitative' | 'ordinal';
  scale?: { type?: 'log' | 'linear'; zero?: boolean; nice?: boolean; padding?: number };
  sort?: string[];
  axis: { title: string; values?: number[]; format?: string; labelOverlap?: boolean };
}

/** A nominal field that tells lines apart, and its legend title. */
export interface ErPlotSeries {
  field: string;
  title: string;
}

export interface ErPlot {
  title: string;
  rows: readonly ErPoint[];
  x: ErPlotX;
  /** The comparison's metric and scale, for the y axis title. */
  metric: string;
  scale: string;
  color: ErPlotSeries;
  /** A second series field drawn as the line's dash (a support sweep's part). */
  dash?: ErPlotSeries;
  /** Fields shown before the ER and its bounds when hovering a point. */
  tooltip: ErPlotSeries[];
}

/** `0.95` → `95%`, as intervals are named on the page. */
export function intervalLevel(interval: number): string {
  return `${Math.round(interval * 1000) / 10}%`;
}

export function erPlotSpec(plot: ErPlot): TopLevelSpec {
  const { x } = plot;
  const y = {
    field: 'er',
    type: 'quantitative' as const,
    scale: { zero: false },
    axis: { title: `effective robustness (${plot.metric}, ${plot.scale} scale)`, format: '+.1%' },
  };
  const color = { ...plot.color, type: 'nominal' as const };
  const series = plot.dash ? { color, strokeDash: { ...plot.dash, type: 'nominal' as const } } : { color };
  const signed = (field: string, title: string) => ({ field, type: 'quantitative' as const, format: '+.2%', title });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: plot.title,
    width: 420,
    height: 320,
    background: 'white',
    data: { values: [...plot.rows] },
    layer: [
      { mark: { type: 'rule', color: '#aaaaaa', strokeDash: [4, 4] }, encoding: { y: { datum: 0 } } },
      {
        transform: [{ filter: 'isValid(datum.low) && isValid(datum.high)' }],
        mark: { type: 'rule' },
        encoding: { x, y: { ...y, field: 'low' }, y2: { field: 'high' }, ...series },
      },
      { mark: { type: 'line' }, encoding: { x, y, ...series } },
      {
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          x,
          y,
          color,
          tooltip: [...plot.tooltip, signed('er', 'ER'), signed('low', 'low'), signed('high', 'high')],
        },
      },
    ],
  };
}
