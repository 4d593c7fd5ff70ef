// One scatter per comparison × shift, on the comparison's probit (or logit) axes with ticks labelled in
// accuracy %: the baseline's points, its fitted line and confidence band, each arm's point with error
// bars over its copies, and y = x. Built as a Vega-Lite spec; rendered to SVG by vega headless.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { TopLevelSpec } from 'vega-lite';
import { fitBaseline, fromScale, predictShifted, toScale, type Scale } from '../analysis/effective-robustness.ts';
import type { ArmShiftResult, BaselineResult, ComparisonResult } from '../results.ts';

export interface ComparisonPlotInput {
  title: string;
  metric: string;
  scale: Scale;
  interval: number;
  baselineName: string;
  baseline: BaselineResult;
  arms: Record<string, ArmShiftResult>;
}

const TICK_ACCURACIES = [
  0.001, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999,
];
const GRID_STEPS = 60;

/** Vega expression mapping a transformed value back to an accuracy, for axis labels. */
function labelExpression(scale: Scale): string {
  const accuracy = scale === 'probit' ? 'cumulativeNormal(datum.value)' : '1 / (1 + exp(-datum.value))';
  return `format(${accuracy}, '.1~%')`;
}

function extent(values: number[]): [number, number] {
  const low = Math.min(...values);
  const high = Math.max(...values);
  const pad = Math.max((high - low) * 0.08, 0.05);
  return [low - pad, high + pad];
}

/** The plot of one shift of a comparison. */
export function shiftPlotSpec(comparison: ComparisonResult, shift: string): TopLevelSpec {
  return comparisonPlotSpec({
    title: `${comparison.name}: ${shift}`,
    metric: comparison.metric,
    scale: comparison.scale,
    interval: comparison.interval,
    baselineName: comparison.baseline.name,
    baseline: comparison.baseline.byShift[shift]!,
    arms: Object.fromEntries(Object.entries(comparison.arms).map(([arm, byShift]) => [arm, byShift[shift]!])),
  });
}

export function comparisonPlotSpec(input: ComparisonPlotInput): TopLevelSpec {
  const { scale } = input;
  const T = (accuracy: number) => toScale(scale, accuracy);
  const fit = fitBaseline(input.baseline.points, { scale, interval: input.interval });
  const armEntries = Object.entries(input.arms);
  const points = [
    ...input.baseline.points.map((p) => ({
      series: input.baselineName,
      label: p.label,
      x: T(p.x),
      y: T(p.y),
      accX: p.x,
      accY: p.y,
    })),
    ...armEntries.flatMap(([arm, r]) =>
      r.copies.map((c) => ({ series: arm, label: c.label, x: T(c.x), y: T(c.y), accX: c.x, accY: c.y })),
    ),
  ];
  const arms = armEntries.map(([arm, r]) => ({
    series: arm,
    x: T(r.x),
    y: T(r.y),
    xLow: T(r.xLow),
    xHigh: T(r.xHigh),
    yLow: T(r.yLow),
    yHigh: T(r.yHigh),
    er: r.er,
  }));
  const xDomain = extent([...points.map((p) => p.x), ...arms.flatMap((a) => [a.xLow, a.xHigh])]);
  const yDomain = extent([...points.map((p) => p.y), ...arms.flatMap((a) => [a.yLow, a.yHigh])]);
  const grid = Array.from({ length: GRID_STEPS + 1 }, (_, i) => {
    const x = xDomain[0] + ((xDomain[1] - xDomain[0]) * i) / GRID_STEPS;
    const prediction = predictShifted(fit, fromScale(scale, x));
    return { x, fit: T(prediction.predicted), lower: T(prediction.lower), upper: T(prediction.upper), identity: x };
  });
  const ticks = (domain: [number, number]) => TICK_ACCURACIES.map(T).filter((v) => v >= domain[0] && v <= domain[1]);
  const axisTitle = (where: string) => `${input.metric} on ${where} (${scale} scale)`;
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    scale: { domain: xDomain, nice: false, zero: false },
    axis: { title: axisTitle('reference'), values: ticks(xDomain), labelExpr: labelExpression(scale) },
  };
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    scale: { domain: yDomain, nice: false, zero: false },
    axis: { title: axisTitle('shifted'), values: ticks(yDomain), labelExpr: labelExpression(scale) },
  };
  const series = [input.baselineName, ...armEntries.map(([arm]) => arm)];
  const color = {
    field: 'series',
    type: 'nominal' as const,
    title: 'model',
    scale: { domain: series, range: ['#888888', '#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'] },
  };
  const percent = (field: string, title: string) => ({ field, type: 'quantitative' as const, format: '.2%', title });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: input.title,
    width: 420,
    height: 320,
    background: 'white',
    layer: [
      {
        data: { values: grid },
        mark: { type: 'area', opacity: 0.18, color: '#888888', clip: true },
        encoding: { x, y: { ...y, field: 'lower' }, y2: { field: 'upper' } },
      },
      {
        data: { values: grid },
        mark: { type: 'line', color: '#555555', clip: true },
        encoding: { x, y: { ...y, field: 'fit' } },
      },
      {
        data: { values: grid },
        mark: { type: 'line', color: '#aaaaaa', strokeDash: [4, 4], clip: true },
        encoding: { x, y: { ...y, field: 'identity' } },
      },
      {
        data: { values: arms },
        mark: { type: 'rule', clip: true },
        encoding: { x: { ...x, field: 'xLow' }, x2: { field: 'xHigh' }, y, color },
      },
      {
        data: { values: arms },
        mark: { type: 'rule', clip: true },
        encoding: { x, y: { ...y, field: 'yLow' }, y2: { field: 'yHigh' }, color },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 40, opacity: 0.7, clip: true },
        encoding: {
          x,
          y,
          color,
          tooltip: [{ field: 'label', title: 'model' }, percent('accX', 'reference'), percent('accY', 'shifted')],
        },
      },
      {
        data: { values: arms },
        mark: { type: 'point', shape: 'diamond', filled: true, size: 120, clip: true },
        encoding: {
          x,
          y,
          color,
          tooltip: [
            { field: 'series', title: 'arm' },
            { field: 'er', type: 'quantitative', format: '+.2%', title: 'ER' },
          ],
        },
      },
    ],
  };
}

/**
 * What a plot's SVG depends on: the spec and the vega and vega-lite versions that draw it. A report keeps it on
 * each figure, so redrawing a report whose plots did not change reuses their SVG (vega costs most of a second).
 */
export function plotKey(spec: TopLevelSpec): string {
  const require = createRequire(import.meta.url);
  const versions = ['vega', 'vega-lite'].map(
    (name) => `${name}@${(require(`${name}/package.json`) as { version: string }).version}`,
  );
  return createHash('sha256')
    .update(`${versions.join(' ')}\n${JSON.stringify(spec)}`)
    .digest('hex');
}

/** Renders a spec to a standalone SVG string, headless (no DOM, no canvas). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // Loaded on first use: a report whose plots are all reused never loads vega.
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
