// Metric calls in `expect`, planned and run for real on the tiny digits study: they reuse the comparison's
// metric jobs where it measured the same thing (same ids, same hashes), add their own otherwise without
// touching a comparison's hashes, average a model's copies, and show their values in results and the summary.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderSummary } from '../../cli/results-view.ts';
import { planSource } from '../../compiler/plan/index.ts';
import { accuracy } from '../../runtime/eval/metrics.ts';
import { readDataset } from '../../runtime/data/serialise.ts';
import type { Plan } from '../../runtime/plan.ts';
import type { Results } from '../../runtime/results.ts';
import { runStudy } from '../../runtime/study/run.ts';

const fixture = readFileSync(fileURLToPath(new URL('./fixtures/tiny.study', import.meta.url)), 'utf8');
// Two copies of the arm, so a metric call has copies to average.
const base = fixture.replace('recipe short }', 'recipe short, copies 2 }');
const claims = [
  'expect accuracy(tuned, reference.test) > accuracy(scratch, reference.test) - 1',
  'expect balanced_accuracy(tuned, flipped.test) >= 0',
  'expect macro_f1(broad, digits.test) > 2',
  'expect accuracy(tuned, parts.in_support) > accuracy(scratch, parts.out_of_support) - 1',
];
const source = base.replace(
  'expect robustness.tuned.flip > -1',
  ['expect robustness.tuned.flip > -1', ...claims].join('\n  '),
);

const planOf = (text: string): Plan => {
  const planned = planSource(text, 'tiny.study');
  assert.equal(planned.diagnostics, []);
  return planned.plan!;
};
const plan = planOf(source);
const job = (id: string) => {
  const found = plan.jobs.find((candidate) => candidate.id === id);
  if (!found)
    throw new Error(`no job ${id}; metric jobs: ${plan.jobs.filter((j) => j.kind === 'metric').map((j) => j.id)}`);
  return found;
};

test('a metric call reads the metric jobs a comparison planned; the claims change no other hash', () => {
  const without = planOf(base);
  const hashes = new Map(plan.jobs.map((j) => [j.id, j.hash]));
  for (const old of without.jobs) assert.is(hashes.get(old.id), old.hash, old.id);
  // accuracy on reference.test is what `robustness` measures: the claim depends on those very jobs.
  assert.equal(job('expect:accuracy(tuned, reference.test) > accuracy(scratch, reference.test) - 1').deps, [
    'metric:tuned#0 on reference.test',
    'metric:tuned#1 on reference.test',
    'metric:scratch#0@3 on reference.test',
  ]);
  // balanced accuracy is measured by no comparison: one job per copy of its own, on the shared predictions.
  const balanced = job('expect:balanced_accuracy(tuned, flipped.test) >= 0');
  assert.equal(balanced.deps, [
    'metric:tuned#0 on flipped.test (balanced_accuracy)',
    'metric:tuned#1 on flipped.test (balanced_accuracy)',
  ]);
  const own = job(balanced.deps[0]!);
  assert.equal(own.spec, { metrics: ['balanced_accuracy'], groups: ['label'], split: 'test', part: null });
  assert.equal(own.deps, job('metric:tuned#0 on flipped.test').deps);
  // A pretrain is one model.
  assert.equal(job('expect:macro_f1(broad, digits.test) > 2').deps, ['metric:broad on digits.test']);
  // A support split's part is measured as `by_part` measures it: the claim reads those jobs.
  assert.equal(job('expect:accuracy(tuned, parts.in_support) > accuracy(scratch, parts.out_of_support) - 1').deps, [
    'metric:tuned#0 on parts.in_support',
    'metric:tuned#1 on parts.in_support',
    'metric:scratch#0@3 on parts.out_of_support',
  ]);
});

const dir = mkdtempSync(join(tmpdir(), 'shiftlab-metric-expect-'));
const cache = join(dir, 'cache');
let results: Results;

test('the claims run: each call is its copies’ mean, read back from the predictions', async () => {
  const outcome = await runStudy(plan, { cacheDir: cache, outDir: join(dir, 'out'), workers: 0, meta: { source } });
  assert.equal(outcome.failedJobs, []);
  results = outcome.results!;
  const [, first, second, third, fourth] = results.expectations;
  // Recomputed from each copy's cached predictions and the data they predicted, not from the metric jobs.
  const data = await readDataset(join(cache, job('transform:reference').hash, 'test'));
  const copyAccuracy = (id: string) => {
    const bytes = readFileSync(join(cache, job(id).hash, 'predictions.bin'));
    const probabilities = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    const predicted = new Int32Array(data.size);
    for (let i = 0; i < data.size; i++) {
      const row = probabilities.subarray(i * 10, i * 10 + 10);
      predicted[i] = row.indexOf(Math.max(...row));
    }
    return accuracy(predicted, data.y);
  };
  const tuned =
    (copyAccuracy('predict:tuned#0 on reference.test') + copyAccuracy('predict:tuned#1 on reference.test')) / 2;
  const scratch = copyAccuracy('predict:scratch#0@3 on reference.test');
  assert.ok(Math.abs(first!.operands['accuracy(tuned, reference.test)']! - tuned) < 1e-12);
  assert.ok(Math.abs(first!.operands['accuracy(scratch, reference.test)']! - scratch) < 1e-12);
  assert.is(first!.value, first!.operands['accuracy(tuned, reference.test)']);
  assert.ok(first!.passed);
  const balanced = results.models
    .filter((model) => model.group === 'tuned')
    .map((model) => model.metrics['flipped.test']!.balanced_accuracy!);
  assert.is(balanced.length, 2);
  assert.ok(
    Math.abs(second!.operands['balanced_accuracy(tuned, flipped.test)']! - (balanced[0]! + balanced[1]!) / 2) < 1e-12,
  );
  // On a part: the mean of the copies' accuracies on that part, as the comparison recorded them.
  const onPart = results.models
    .filter((model) => model.group === 'tuned')
    .map((model) => model.metrics['parts.in_support']!.accuracy!);
  assert.is(onPart.length, 2);
  assert.ok(Math.abs(fourth!.operands['accuracy(tuned, parts.in_support)']! - (onPart[0]! + onPart[1]!) / 2) < 1e-12);
  assert.ok(fourth!.passed);
  // A macro F1 above 2 cannot hold: the claim fails, and the run says so.
  assert.is(third!.passed, false);
  assert.ok(third!.operands['macro_f1(broad, digits.test)']! <= 1);
  assert.is(outcome.ok, false);
  assert.equal(
    outcome.failedExpectations.map((e) => e.source),
    ['macro_f1(broad, digits.test) > 2'],
  );
});

test('results.json and the run summary show each claim with its evaluated operands', () => {
  const written = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')) as Results;
  assert.equal(written.expectations, results.expectations);
  const summary = renderSummary(results);
  for (const expectation of results.expectations) {
    assert.match(summary, `line ${expectation.line}: ${expectation.source}`);
    for (const name of Object.keys(expectation.operands)) assert.match(summary, `${name} = `);
  }
  assert.match(summary, /FAILS +line \d+: macro_f1\(broad, digits\.test\) > 2/);
  writeFileSync(join(dir, 'summary.txt'), summary);
});

test.run();
