// `shiftlab run` end to end on a tiny real-MNIST study: results structure, metrics.csv, determinism, the
// no-op re-run, failed expectations, --job, kill -9 and resume, and runtime errors that name the study line.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import quantile from '@stdlib/stats-base-dists-normal-quantile';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planFile } from '../../compiler/plan/index.ts';
import { readDataset } from '../../runtime/data/serialise.ts';
import type { Results } from '../../runtime/results.ts';
import { runStudy } from '../../runtime/study/run.ts';
import { repoRoot, runCli } from '../helpers/cli.ts';

const fixture = fileURLToPath(new URL('./fixtures/tiny.study', import.meta.url));
const binary = join(repoRoot, 'bin/shiftlab.mjs');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh folder holding a copy of the study (optionally edited), its cache and its results. */
function workspace(edit: (source: string) => string = (source) => source) {
  const dir = mkdtempSync(join(tmpdir(), 'shiftlab-run-'));
  const study = join(dir, 'tiny.study');
  writeFileSync(study, edit(readFileSync(fixture, 'utf8')));
  return { dir, study, cache: join(dir, 'cache'), out: join(dir, 'out') };
}

function run(space: ReturnType<typeof workspace>, ...extra: string[]) {
  return runCli(['run', space.study, '--cache', space.cache, '--out', space.out, '--workers', '2', ...extra], {
    cwd: space.dir,
  });
}

const readResults = (out: string) => JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
/** Everything but the time of the run, how busy its pool was, and where the study file was. */
const numbers = (results: Results) =>
  JSON.stringify({ ...results, createdAt: null, pool: null, study: { ...results.study, file: null } });
const cacheEntries = (cache: string) => readdirSync(cache).filter((name) => !name.startsWith('.'));
const cachedCount = (cache: string) => {
  try {
    return cacheEntries(cache).length;
  } catch {
    return 0; // not created yet
  }
};
const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** 1-based line of the first line of the fixture containing `text`. */
const lineOf = (text: string) =>
  readFileSync(fixture, 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(text)) + 1;
const EXPECT_LINE = lineOf('expect robustness.tuned.flip > -1');
const ARM_LINE = lineOf('arm tuned {');

const plan = planFile(fixture).plan!;
const plannedJobs = plan.jobs.length;
const entryOf = (cache: string, id: string) => join(cache, plan.jobs.find((job) => job.id === id)!.hash);

const first = workspace();
let firstResults: Results;

test('a run writes results.json with every model, comparison and expectation, metrics.csv and the report', () => {
  const result = run(first, '--quiet');
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stdout, join(first.out, 'results.json'));
  assert.match(result.stdout, join(first.out, 'report.html'));
  firstResults = readResults(first.out);
  assert.is(firstResults.schemaVersion, 1);
  assert.is(firstResults.study.name, 'tiny');
  assert.match(firstResults.study.source, 'expect robustness.tuned.flip > -1');
  assert.ok(['wasm', 'cpu', 'tensorflow'].includes(firstResults.backend));
  assert.equal(
    firstResults.models.map((model) => [model.name, model.group, model.copy, model.checkpoint]),
    [
      ['scratch.copy0.epoch1', 'scratch', 0, 1],
      ['scratch.copy0.epoch2', 'scratch', 0, 2],
      ['scratch.copy0.epoch3', 'scratch', 0, 3],
      ['tuned.copy0', 'tuned', 0, undefined],
    ],
  );
  for (const model of firstResults.models) {
    assert.equal(Object.keys(model.metrics).sort(), [
      'flipped.test',
      'parts.in_support',
      'parts.out_of_support',
      'reference.test',
    ]);
    assert.is(model.metrics['reference.test'].count, 200);
    assert.is(model.metrics['parts.in_support'].count, firstResults.splits[0].inSupport);
    assert.is(model.metrics['parts.out_of_support'].count, firstResults.splits[0].outOfSupport);
    // Trained on 270 digits for at least one epoch: better than chance on the digits it was trained for.
    if (model.checkpoint !== 1)
      assert.ok(model.metrics['reference.test'].accuracy > 0.2, `${model.name} learned something`);
  }

  assert.equal(firstResults.splits.length, 1);
  const [split] = firstResults.splits;
  assert.equal([split.name, split.shift, split.folds, split.threshold], ['parts', 'half', 2, 0.8]);
  assert.is(split.inSupport + split.outOfSupport, 200);
  assert.ok(split.auc >= 0 && split.auc <= 1 && Math.abs(split.auroc - (2 * split.auc - 1)) < 1e-12);
  // One candidate per swept lr; the chosen one has the best held-out AUROC, and it is the split's.
  assert.equal(
    split.candidates.map((c) => c.value),
    [1e-3, 3e-3],
  );
  const best = Math.max(...split.candidates.map((c) => c.auroc));
  assert.is(split.candidates[split.chosen]!.auroc, best);
  assert.ok(Math.abs(split.auroc - best) < 1e-12);
  // The paper's ε grid and the study's own ε, ascending; more ε never moves an example into support.
  assert.is(split.sweep.length, 13);
  assert.equal(
    split.sweep.find((p) => p.threshold === 0.8),
    { threshold: 0.8, inSupport: split.inSupport, outOfSupport: split.outOfSupport },
  );
  for (let i = 1; i < split.sweep.length; i++) {
    assert.ok(split.sweep[i]!.threshold > split.sweep[i - 1]!.threshold);
    assert.ok(split.sweep[i]!.outOfSupport >= split.sweep[i - 1]!.outOfSupport);
  }
  assert.equal(firstResults.comparisons[1].shifts, ['parts.in_support', 'parts.out_of_support']);
  assert.equal(Object.keys(firstResults.comparisons[1].arms.tuned), ['parts.in_support', 'parts.out_of_support']);
  // ER per ε on both parts: the split's part sizes at every ε, and at the threshold the comparison's own ER
  // (computed there by other jobs from part-wise predictions, here from subsets of whole-set predictions).
  const [sweep] = firstResults.comparisons[1].supportSweeps!;
  assert.is(sweep.split, 'parts');
  assert.equal(
    sweep.rows.map((row) => [row.epsilon, row.inSupport, row.outOfSupport]),
    split.sweep.map((p) => [p.threshold, p.inSupport, p.outOfSupport]),
  );
  const atThreshold = sweep.rows.find((row) => row.epsilon === 0.8)!;
  for (const part of ['in_support', 'out_of_support'] as const) {
    const expected = firstResults.comparisons[1].arms.tuned[`parts.${part}`];
    const swept = atThreshold[part]!.arms.tuned;
    assert.ok(Math.abs(swept.er! - expected.er) < 1e-9, `${part}: ER ${swept.er} vs ${expected.er}`);
    assert.ok(Math.abs(swept.low! - expected.low) < 1e-9 && Math.abs(swept.high! - expected.high) < 1e-9, part);
    assert.is(atThreshold[part]!.r2, firstResults.comparisons[1].baseline.byShift[`parts.${part}`].fit.r2);
  }

  const [comparison] = firstResults.comparisons;
  assert.is(comparison.name, 'robustness');
  assert.equal(comparison.shifts, ['flip']);
  assert.is(comparison.baseline.name, 'scratch');
  // The probit fit, recomputed here from the reported accuracies alone.
  const points = firstResults.models
    .filter((m) => m.group === 'scratch')
    .map((m) => [m.metrics['reference.test'].accuracy, m.metrics['flipped.test'].accuracy]);
  const tx = points.map(([x]) => quantile(x, 0, 1));
  const ty = points.map(([, y]) => quantile(y, 0, 1));
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const slope =
    tx.reduce((s, x, i) => s + (x - mean(tx)) * (ty[i] - mean(ty)), 0) /
    tx.reduce((s, x) => s + (x - mean(tx)) ** 2, 0);
  const fit = comparison.baseline.byShift.flip.fit;
  assert.ok(Math.abs(fit.slope - slope) < 1e-9, `slope ${fit.slope} vs ${slope}`);
  const tuned = firstResults.models.find((m) => m.name === 'tuned.copy0')!;
  const armFlip = comparison.arms.tuned.flip;
  const expectedEr =
    tuned.metrics['flipped.test'].accuracy -
    normalCdf(slope * quantile(tuned.metrics['reference.test'].accuracy, 0, 1) + (mean(ty) - slope * mean(tx)), 0, 1);
  assert.ok(Math.abs(armFlip.er - expectedEr) < 1e-9, `ER ${armFlip.er} vs ${expectedEr}`);
  assert.ok(armFlip.low < armFlip.er && armFlip.er < armFlip.high);

  assert.equal(firstResults.expectations.length, 1);
  const [expectation] = firstResults.expectations;
  assert.is(expectation.source, 'robustness.tuned.flip > -1');
  assert.is(expectation.line, EXPECT_LINE);
  assert.is(expectation.value, armFlip.er);
  assert.ok(expectation.passed);
  assert.equal(expectation.operands, { 'robustness.tuned.flip': armFlip.er });

  const csv = readFileSync(join(first.out, 'metrics.csv'), 'utf8').trim().split('\n');
  assert.is(csv[0], 'model,group,copy,checkpoint,split,metric,value,count');
  assert.is(csv.length, 1 + 4 * 4, 'one row per model × split × metric');
  assert.ok(csv.includes(`tuned.copy0,tuned,0,,flipped.test,accuracy,${tuned.metrics['flipped.test'].accuracy},200`));
  assert.match(readFileSync(join(first.out, 'report.html'), 'utf8'), '<svg');
});

test('a distribution extending another sees the same examples: flipped = reference turned upside down', async () => {
  const reference = await readDataset(join(entryOf(first.cache, 'transform:reference'), 'test'));
  const flipped = await readDataset(join(entryOf(first.cache, 'transform:flipped'), 'test'));
  assert.equal(flipped.shape, [28, 28, 1]);
  assert.equal([...flipped.y], [...reference.y]);
  for (const index of [0, 57, 199]) {
    for (const row of [0, 9, 27]) {
      const start = index * 784;
      const flippedRow = flipped.x.subarray(start + row * 28, start + row * 28 + 28);
      const referenceRow = reference.x.subarray(start + (27 - row) * 28, start + (28 - row) * 28);
      assert.equal([...flippedRow], [...referenceRow], `example ${index}, row ${row}`);
    }
  }
});

test('a second run of the same study runs no job and finishes quickly', () => {
  const started = performance.now();
  const result = run(first, '--json');
  const seconds = (performance.now() - started) / 1000;
  assert.is(result.status, 0, result.stderr);
  const events = jsonLines(result.stdout);
  const start = events.find((event) => event.type === 'plan-start')!;
  assert.is(start.toRun, 0);
  assert.is(events.filter((event) => event.type === 'job-start').length, 0);
  assert.is(events.at(-1)!.type, 'run-done');
  assert.ok(seconds < 30, `no-op re-run took ${seconds.toFixed(1)} s`);
  assert.is(numbers(readResults(first.out)), numbers(firstResults));
});

test('a rename re-runs nothing, and results.json names everything by the new names, not the cached ones', () => {
  const renames: [RegExp, string][] = [
    [/\bscratch\b/g, 'line'],
    [/\btuned\b/g, 'tuned_v2'],
    [/\brobustness\b/g, 'er'],
    [/\bflip\b/g, 'upside_down'],
    [/\bparts\b/g, 'halves'],
    [/\breference\b/g, 'upright'],
  ];
  const rename = (text: string) => renames.reduce((result, [from, to]) => result.replace(from, to), text);
  const renamed = workspace(rename);
  copyCache(first.cache, renamed.cache);
  const result = run(renamed, '--json');
  assert.is(result.status, 0, result.stderr);
  assert.is(jsonLines(result.stdout).find((event) => event.type === 'plan-start')!.toRun, 0);
  const results = readResults(renamed.out);
  assert.equal(
    results.comparisons.map((comparison) => [
      comparison.name,
      comparison.baseline.name,
      Object.keys(comparison.arms),
      comparison.shifts,
    ]),
    [
      ['er', 'line', ['tuned_v2'], ['upside_down']],
      ['by_part', 'line', ['tuned_v2'], ['halves.in_support', 'halves.out_of_support']],
    ],
  );
  assert.equal(
    results.comparisons[0].baseline.byShift.upside_down.points.map((point) => point.label),
    ['line.copy0.epoch1', 'line.copy0.epoch2', 'line.copy0.epoch3'],
  );
  assert.equal(
    results.comparisons[0].arms.tuned_v2.upside_down.copies.map((copy) => copy.label),
    ['tuned_v2.copy0'],
  );
  assert.equal(Object.keys(results.expectations[0].operands), ['er.tuned_v2.upside_down']);
  // Every number is the first run's; every name is the first run's, renamed.
  assert.is(numbers(results), rename(numbers(firstResults)));
});

test('results name the backend that computed the cached jobs, not the one a re-run asked for', () => {
  const tensorJobs = plan.jobs.filter((job) =>
    ['pretrain', 'train', 'reweight', 'predict', 'support-split'].includes(job.kind),
  ).length;
  assert.equal(firstResults.backendsUsed, { [firstResults.backend]: tensorJobs });
  const other = firstResults.backend === 'cpu' ? 'wasm' : 'cpu';
  const result = run(first, '--backend', other, '--quiet');
  assert.is(result.status, 0, result.stderr);
  const rerun = readResults(first.out);
  assert.is(rerun.backend, firstResults.backend);
  assert.equal(rerun.backendsUsed, firstResults.backendsUsed);
});

test('two fresh caches give identical results (jobs run in-process instead of on 2 workers)', async () => {
  const second = workspace();
  const outcome = await runStudy(plan, {
    cacheDir: second.cache,
    outDir: second.out,
    workers: 0,
    meta: { source: readFileSync(fixture, 'utf8') },
  });
  assert.ok(outcome.ok);
  assert.is(outcome.exec.ran.length, plannedJobs);
  assert.is(numbers(readResults(second.out)), numbers(firstResults));
});

test('a failed expectation exits 1 after writing results, naming the claim, its values and its line', () => {
  const failing = workspace((source) =>
    source.replace('expect robustness.tuned.flip > -1', 'expect robustness.tuned.flip > 5'),
  );
  copyCache(first.cache, failing.cache);
  const result = run(failing, '--quiet');
  assert.is(result.status, 1, result.stderr);
  const er = firstResults.comparisons[0].arms.tuned.flip.er;
  assert.match(result.stderr, `${failing.study}:${EXPECT_LINE}: expectation failed: robustness.tuned.flip > 5`);
  assert.match(result.stderr, `robustness.tuned.flip = ${er.toFixed(4)}`);
  const written = readResults(failing.out);
  assert.is(written.expectations[0].passed, false);
  assert.is(written.expectations[0].value, er);
});

test('--job runs one job against the cache; an unknown job is a usage error', () => {
  const single = workspace((source) =>
    source.replace('expect robustness.tuned.flip > -1', 'expect robustness.tuned.flip < 2'),
  );
  copyCache(first.cache, single.cache);
  const before = cacheEntries(single.cache).length;
  const result = run(single, '--job', 'expect:robustness.tuned.flip < 2', '--json');
  assert.is(result.status, 0, result.stderr);
  const events = jsonLines(result.stdout);
  assert.equal(
    events.filter((event) => event.type === 'job-start').map((event) => event.jobId),
    ['expect:robustness.tuned.flip < 2'],
  );
  assert.is(cacheEntries(single.cache).length, before + 1);
  const unknown = run(single, '--job', 'train:nobody#0');
  assert.is(unknown.status, 2);
  assert.match(unknown.stderr, "no job 'train:nobody#0'");
  const uncached = workspace();
  const missing = run(uncached, '--job', 'train:tuned#0');
  assert.is(missing.status, 1);
  assert.match(missing.stderr, /not in the cache/);
});

test('kill -9 mid-run, then a re-run: no finished job is redone and the results match an uninterrupted run', async () => {
  const killed = workspace();
  const proc = spawn(
    process.execPath,
    [binary, 'run', killed.study, '--cache', killed.cache, '--out', killed.out, '--workers', '2', '--quiet'],
    {
      cwd: killed.dir,
      stdio: 'ignore',
    },
  );
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  const finished = () => cachedCount(killed.cache);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && finished() < 6) await sleep(20);
  proc.kill('SIGKILL');
  await exited;
  const survived = finished();
  assert.ok(survived >= 6 && survived < plannedJobs, `killed part-way (${survived} jobs cached)`);

  const resumed = run(killed, '--json');
  assert.is(resumed.status, 0, resumed.stderr);
  const start = jsonLines(resumed.stdout).find((event) => event.type === 'plan-start')!;
  assert.is(start.cached, survived);
  assert.is(numbers(readResults(killed.out)), numbers(firstResults));
});

test('Ctrl-C stops the run with exit 130, keeps finished jobs and says how to resume', async () => {
  const interrupted = workspace();
  const proc = spawn(
    process.execPath,
    [
      binary,
      'run',
      interrupted.study,
      '--cache',
      interrupted.cache,
      '--out',
      interrupted.out,
      '--workers',
      '2',
      '--quiet',
    ],
    {
      cwd: interrupted.dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  proc.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', resolve));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && cachedCount(interrupted.cache) < 4) await sleep(20);
  proc.kill('SIGINT');
  assert.is(await exited, 130);
  assert.match(stderr, 'interrupted: finished jobs are cached; run again to resume');
  const kept = cachedCount(interrupted.cache);
  assert.ok(kept >= 4 && kept < plannedJobs, `${kept} jobs kept`);
});

test('a runtime error names the study line of the job that failed', () => {
  const diverging = workspace((source) =>
    source.replace('recipe short { optimizer adam, lr 1e-3', 'recipe short { optimizer sgd, lr 1e30'),
  );
  copyCache(first.cache, diverging.cache);
  const result = run(diverging, '--quiet');
  assert.is(result.status, 1);
  assert.match(
    result.stderr,
    `${diverging.study}:${ARM_LINE}: arm tuned { init broad, strategy ft, train reference, recipe short }`,
  );
  assert.match(result.stderr, /job train:tuned#0 failed: training diverged: loss is NaN/);
});

/** Seeds a workspace's cache with the first run's entries, so a variant re-runs only what it changed. */
function copyCache(from: string, to: string): void {
  cpSync(from, to, { recursive: true, filter: (path) => !path.slice(from.length + 1).startsWith('.') });
}

test.run();
