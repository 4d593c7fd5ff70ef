// The job handlers behind sweeps, reweighting, copies and group metrics, run in-process on tiny tinted digits;
// each check recomputes its number from the cached artifacts rather than trusting the handler's own output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { effectiveRobustness, fitBaseline } from '../../runtime/analysis/effective-robustness.ts';
import { readDataset } from '../../runtime/data/serialise.ts';
import type { Results } from '../../runtime/results.ts';
import { runStudy } from '../../runtime/study/run.ts';
import { plannedFixture } from '../helpers/planned.ts';

const { plan, source, dir, cache, job } = plannedFixture(
  fileURLToPath(new URL('./fixtures/features.study', import.meta.url)),
  'shiftlab-features-',
);
const entry = (id: string) => join(cache, job(id).hash);
const json = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
let results: Results;

test('the study runs in-process and reports every arm', async () => {
  const outcome = await runStudy(plan, {
    cacheDir: cache,
    outDir: join(dir, 'out'),
    workers: 0,
    meta: { source: source },
  });
  assert.ok(outcome.ok, outcome.failedJobs.map((failure) => failure.message).join('\n'));
  results = outcome.results!;
  assert.equal(
    results.models.filter((model) => model.checkpoint === undefined).map((model) => model.name),
    ['swept.copy0', 'swept.copy1', 'dfr.copy0', 'dfr.copy1'],
  );
  assert.ok(!results.models.some((model) => model.name.includes('lr=')), 'sweep candidates are not results');
});

test('sweep-select keeps the candidate with the best validation score; a diverging candidate loses instead of failing the run', () => {
  const scores = [1e-4, 3e-3].map(
    (lr) =>
      json<{ values: Record<string, number> }>(
        join(entry(`metric:swept@lr=${lr} on reference.val by label+aligned`), 'metrics.json'),
      ).values.accuracy,
  );
  const choice = json<{ param: string; value: number; scores: number[] }>(
    join(entry('sweep-select:swept'), 'choice.json'),
  );
  assert.is(choice.param, 'lr');
  assert.equal(choice.scores, [...scores, null]);
  assert.is(choice.value, scores[1] > scores[0] ? 3e-3 : 1e-4);
  const diverged = json<{ reason: string }>(join(entry('train:swept@lr=1e+30'), 'diverged.json'));
  assert.match(diverged.reason, /training diverged/);
});

test("worst-group accuracy over the comparison's groups, recomputed from the cached predictions and data", async () => {
  const predictions = join(entry('predict:swept#0 on random_tint.test'), 'predictions.bin');
  const bytes = readFileSync(predictions);
  const probabilities = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const data = await readDataset(join(entry('transform:random_tint'), 'test'));
  const groups = new Map<string, { right: number; total: number }>();
  for (let i = 0; i < data.size; i++) {
    const row = probabilities.subarray(i * 10, i * 10 + 10);
    const predicted = row.indexOf(Math.max(...row));
    const key = `${data.y[i]}`;
    const group = groups.get(key) ?? { right: 0, total: 0 };
    group.total++;
    if (predicted === data.y[i]) group.right++;
    groups.set(key, group);
  }
  const worst = Math.min(...[...groups.values()].map((group) => group.right / group.total));
  const swept = results.models.find((model) => model.name === 'swept.copy0')!;
  assert.is(swept.metrics['random_tint.test'].worst_group_accuracy, worst);
  assert.is(swept.metrics['random_tint.test'].count, 200);
});

test('reweighting refits the head of each baseline copy it starts from', () => {
  const reweighted = plan.jobs.filter((job) => job.kind === 'reweight');
  assert.equal(
    reweighted.map((job) => job.deps[0]),
    ['train:scratch#0', 'train:scratch#1'],
  );
  for (const job of reweighted) {
    const before = readFileSync(join(entry(job.deps[0]), 'model', 'weights.bin'));
    const after = readFileSync(join(entry(job.id), 'model', 'weights.bin'));
    assert.is(after.length, before.length, 'same architecture');
    assert.not.ok(after.equals(before), `${job.id} changed the weights`);
  }
});

test("by default an arm with copies is scored at its mean accuracies with the line's regression interval", () => {
  const comparison = results.comparisons.find((c) => c.name === 'paper_rule')!;
  const arm = comparison.arms.swept.tint_bias;
  assert.is(arm.intervalKind, 'regression');
  assert.ok(Math.abs(arm.x - (arm.copies[0].x + arm.copies[1].x) / 2) < 1e-12, 'x is the mean of the copies');
  const fit = fitBaseline(comparison.baseline.byShift.tint_bias.points, {
    scale: comparison.scale,
    interval: comparison.interval,
  });
  const expected = effectiveRobustness(fit, { x: arm.x, y: arm.y });
  assert.ok(
    Math.abs(arm.er - expected.er) < 1e-12 &&
      Math.abs(arm.low - expected.low) < 1e-12 &&
      Math.abs(arm.high - expected.high) < 1e-12,
  );
  assert.is(comparison.baseline.byShift.tint_bias.pointRule, 'per_copy');
});

test('`interval copies`: an arm with copies reports the mean ER with mean ± 1.96·std/√n over its copies', () => {
  const arm = results.comparisons[0].arms.swept.tint_bias;
  assert.is(arm.copies.length, 2);
  assert.is(arm.intervalKind, 'copies');
  const ers = arm.copies.map((copy) => copy.er);
  const mean = (ers[0] + ers[1]) / 2;
  const half = (1.96 * Math.abs(ers[0] - ers[1])) / 2 / Math.sqrt(2);
  assert.ok(Math.abs(arm.er - mean) < 1e-12);
  assert.ok(Math.abs(arm.high - arm.low - 2 * half) < 1e-12);
  assert.is(results.comparisons[0].metric, 'worst_group_accuracy');
  assert.is(results.comparisons[0].baseline.byShift.tint_bias.points.length, 6, '2 copies × 3 checkpoints');
});

test.run();
