import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyseShift } from '../../runtime/analysis/comparison.ts';
import { baselineResult, pointKey, type FitFile } from '../../runtime/jobs/handlers/fit-baseline.ts';
import {
  aggregateCopies,
  clipAccuracy,
  effectiveRobustness,
  fitBaseline,
  fromScale,
  predictShifted,
  toScale,
  type Scale,
} from '../../runtime/analysis/effective-robustness.ts';

// Generated independently with numpy/scipy by reference/make_reference.py.
interface ReferenceCase {
  name: string;
  scale: Scale;
  interval: number;
  count: number;
  baseline: [number, number][];
  models: [number, number][];
  fit: { slope: number; intercept: number; r2: number; n: number; t: number; residualScale: number; sxx: number };
  results: {
    x: number;
    y: number;
    predicted: number;
    lower: number;
    upper: number;
    er: number;
    low: number;
    high: number;
  }[];
}
const reference = JSON.parse(readFileSync(new URL('./reference/er-reference.json', import.meta.url), 'utf8')) as {
  cases: ReferenceCase[];
  paperCopies: (ReferenceCase & { baselineCopies: [number, number][][]; armCopies: [number, number][] })[];
  copies: { values: number[]; mean: number; low: number; high: number }[];
};

const TOLERANCE = 1e-9;
function close(actual: number, expected: number, what: string) {
  assert.ok(Math.abs(actual - expected) <= TOLERANCE, `${what}: ${actual} vs reference ${expected}`);
}

for (const c of reference.cases) {
  test(`matches scipy reference: ${c.name}`, () => {
    const clip = (value: number) => clipAccuracy({ value, count: c.count }).value;
    const points = c.baseline.map(([x, y]) => ({ x: clip(x), y: clip(y) }));
    const fit = fitBaseline(points, { scale: c.scale, interval: c.interval });
    for (const key of ['slope', 'intercept', 'r2', 'residualScale', 'sxx'] as const) close(fit[key], c.fit[key], key);
    // stdlib's t quantile agrees with scipy's to ~1e-9 relative (2.4469118511 vs 2.4469118488 at 6 df); scaled by
    // s_e it moves bounds by < 1e-10, which the 1e-9 checks on the bounds below still hold.
    assert.ok(Math.abs(fit.t / c.fit.t - 1) < 1e-8, `t: ${fit.t} vs reference ${c.fit.t}`);
    assert.is(fit.n, c.fit.n);
    c.models.forEach(([x, y], i) => {
      const expected = c.results[i];
      const point = { x: clip(x), y: clip(y) };
      close(point.x, expected.x, 'clipped x');
      close(point.y, expected.y, 'clipped y');
      const prediction = predictShifted(fit, point.x);
      close(prediction.predicted, expected.predicted, 'predicted');
      close(prediction.lower, expected.lower, 'lower');
      close(prediction.upper, expected.upper, 'upper');
      const er = effectiveRobustness(fit, point);
      close(er.er, expected.er, 'er');
      close(er.low, expected.low, 'low');
      close(er.high, expected.high, 'high');
    });
  });
}

test('copies aggregate to mean ± 1.96·std/√n (ddof 0), matching the reference', () => {
  for (const c of reference.copies) {
    const summary = aggregateCopies(c.values);
    close(summary.mean, c.mean, 'mean');
    close(summary.low, c.low, 'low');
    close(summary.high, c.high, 'high');
  }
});

test('probit and logit transforms invert each other', () => {
  for (const scale of ['probit', 'logit'] as const) {
    for (const p of [0.001, 0.3, 0.5, 0.97]) close(fromScale(scale, toScale(scale, p)), p, `${scale}(${p})`);
  }
  close(toScale('probit', 0.975), 1.959963984540054, 'probit(0.975)');
});

test('fewer than 3 baseline points is an error', () => {
  assert.throws(
    () =>
      fitBaseline([
        { x: 0.7, y: 0.5 },
        { x: 0.8, y: 0.6 },
      ]),
    /at least 3/,
  );
});

test('unclipped accuracies of 0 or 1 are refused by the fit', () => {
  assert.throws(
    () =>
      fitBaseline([
        { x: 0.7, y: 0.5 },
        { x: 0.8, y: 0.6 },
        { x: 1, y: 0.7 },
      ]),
    /clip/,
  );
});

test('clipping moves only 0 and 1, and flags them', () => {
  assert.equal(clipAccuracy({ value: 1, count: 500 }), { value: 0.999, clipped: true });
  assert.equal(clipAccuracy({ value: 0, count: 500 }), { value: 0.001, clipped: true });
  assert.equal(clipAccuracy({ value: 0.5, count: 500 }), { value: 0.5, clipped: false });
});

for (const c of reference.paperCopies) {
  test(`copies by the paper's rule match the reference: ${c.name}`, () => {
    const measured = (label: string, [x, y]: [number, number], point?: string) => ({
      label,
      point,
      reference: { value: x, count: c.count },
      shifted: { value: y, count: c.count },
    });
    const baseline = c.baselineCopies.flatMap((copies, k) =>
      copies.map((p, copy) => measured(`b.copy${copy}.epoch${k}`, p, `b.epoch${k}`)),
    );
    const arm = c.armCopies.map((p, copy) => measured(`arm.copy${copy}`, p));
    const analysis = analyseShift(baseline, { arm }, { scale: c.scale, interval: c.interval });
    assert.is(analysis.baseline.points.length, c.baselineCopies.length, 'one point per checkpoint');
    assert.is(analysis.baseline.pointRule, 'mean_of_copies');
    close(analysis.fit.slope, c.fit.slope, 'slope');
    close(analysis.fit.intercept, c.fit.intercept, 'intercept');
    const [expected] = c.results;
    const result = analysis.arms.arm;
    assert.is(result.intervalKind, 'regression');
    close(result.x, expected.x, 'mean reference accuracy');
    close(result.y, expected.y, 'mean shifted accuracy');
    close(result.er, expected.er, 'ER at the mean');
    close(result.low, expected.low, 'low');
    close(result.high, expected.high, 'high');
    // The old rule stays available, and is narrower: it drops the line's uncertainty.
    const old = analyseShift(
      baseline,
      { arm },
      { scale: c.scale, interval: c.interval, baselinePoints: 'per_copy', armInterval: 'copies' },
    );
    assert.is(old.baseline.points.length, baseline.length);
    assert.is(old.arms.arm.intervalKind, 'copies');
    assert.ok(old.arms.arm.high - old.arms.arm.low < result.high - result.low);
  });
}

test("a worst-group accuracy of 0 is clipped with the group's own size and flagged on the baseline", () => {
  const c = reference.paperCopies.find((p) => p.name.startsWith('worst group at 0'))!;
  const baseline = c.baselineCopies.flatMap((copies, k) =>
    copies.map(([x, y], copy) => ({
      label: `b${copy}.${k}`,
      point: `b.${k}`,
      reference: { value: x, count: 1000 },
      shifted: { value: y, count: c.count },
    })),
  );
  const analysis = analyseShift(baseline, {});
  assert.is(analysis.baseline.clippedPoints, 1);
  assert.ok(analysis.baseline.points[0].clipped);
  close(analysis.baseline.points[0].y, 1 / (2 * c.count), 'clipped to 1/(2N) with N the group size');
});

test('analyseShift flags clipped baseline points and arm copies, and aggregates copies', () => {
  const measured = (label: string, x: number, y: number, count = 500) => ({
    label,
    reference: { value: x, count },
    shifted: { value: y, count },
  });
  const analysis = analyseShift(
    [measured('b0', 0.9, 0.5), measured('b1', 0.95, 0.6), measured('b2', 0.99, 0.7), measured('b3', 1, 0.78)],
    { perfect: [measured('p0', 1, 1)], pair: [measured('q0', 0.97, 0.8), measured('q1', 0.97, 0.84)] },
    { armInterval: 'copies' },
  );
  assert.equal(
    analysis.baseline.points.map((p) => p.clipped),
    [false, false, false, true],
  );
  assert.ok(analysis.arms.perfect.clipped);
  assert.is(analysis.arms.perfect.intervalKind, 'regression');
  assert.not.ok(analysis.arms.pair.clipped);
  assert.is(analysis.arms.pair.intervalKind, 'copies');
  const [q0, q1] = analysis.arms.pair.copies;
  close(analysis.arms.pair.er, (q0.er + q1.er) / 2, 'mean ER of copies');
  // Two copies at distance d from their mean: half-width 1.96·(d)/√2.
  const half = (1.96 * Math.abs(q0.er - q1.er)) / 2 / Math.SQRT2;
  close(analysis.arms.pair.high - analysis.arms.pair.er, half, 'copies half-width');
  // The clipping case of the reference file uses the same data: its fit must agree.
  const clippingCase = reference.cases.find((c) => c.name === 'clipping')!;
  close(analysis.baseline.fit.slope, clippingCase.fit.slope, 'slope');
  close(analysis.arms.perfect.er, clippingCase.results[0].er, 'clipped arm ER');
});

test("results take the fit handler's grouping of a baseline's copies and only name its points from the plan", () => {
  const measured = (epoch: number, reference: number, shifted: number) => ({
    label: 'pair',
    point: pointKey(epoch),
    reference: { value: reference, count: 100 },
    shifted: { value: shifted, count: 100 },
  });
  const file: FitFile = {
    metric: 'accuracy',
    scale: 'probit',
    points: 'mean_of_copies',
    baseline: [measured(1, 0.6, 0.4), measured(2, 0.7, 0.5), measured(1, 0.8, 0.6), measured(2, 0.9, 0.7)],
    fit: { slope: 1, intercept: 0, r2: 1, n: 2 },
  };
  const models = [0, 1].flatMap((copy) =>
    [1, 2].map((epoch) => ({ name: `s.copy${copy}.epoch${epoch}`, point: `s.epoch${epoch}` })),
  );
  const result = baselineResult(file, models);
  assert.equal(
    result.points.map((p) => [p.label, Number(p.x.toFixed(6)), Number(p.y.toFixed(6))]),
    [
      ['s.epoch1', 0.7, 0.5],
      ['s.epoch2', 0.8, 0.6],
    ],
  );
  assert.equal(
    baselineResult({ ...file, points: 'per_copy' }, models).points.map((p) => p.label),
    models.map((m) => m.name),
  );
  // A plan that names two of the handler's points alike, or one point two ways, does not match the cached fit.
  const misnamed = models.map((m, i) => (i === 2 ? { ...m, point: 's.epoch9' } : m));
  assert.throws(() => baselineResult(file, misnamed), /groups s\.epoch1 and s\.epoch9 into one point/);
});

test.run();
