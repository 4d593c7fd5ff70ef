import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planFile } from '../../compiler/plan/index.ts';
import { simulatedWallTime } from '../../runtime/exec/priority.ts';
import type { Job, Plan } from '../../runtime/plan.ts';
import { estimatePlan } from '../../runtime/study/estimate.ts';
import {
  jobEstimator,
  readThroughput,
  recordJob,
  recordStart,
  trainingKey,
  trainingWork,
  unrecordedTraining,
  writeThroughput,
} from '../../runtime/study/throughput.ts';
import { repoRoot } from '../helpers/cli.ts';

function quickstart(): Plan {
  const planned = planFile(join(repoRoot, 'examples/quickstart.study'));
  assert.ok(planned.plan);
  return planned.plan!;
}

const trainingJobs = (plan: Plan) => plan.jobs.filter((job) => trainingWork(plan, job));

test('a training job’s work is its architecture and the shape its distribution’s transforms give', () => {
  const plan = quickstart();
  const jobs = trainingJobs(plan);
  // Every job with a training cost: the pre-training, the baseline's copies and the arm's.
  assert.equal(
    jobs.map((job) => job.id),
    plan.jobs.filter((job) => job.cost).map((job) => job.id),
  );
  assert.equal([...new Set(jobs.map((job) => job.kind))].sort(), ['pretrain', 'train']);
  for (const job of jobs) {
    const work = trainingWork(plan, job)!;
    // MNIST is 28×28×1; `tint` (in every training distribution here) colours it.
    assert.equal(work.shape, { kind: 'image', height: 28, width: 28, channels: 3 });
    assert.is(work.classes, 10);
    assert.equal(work.model, (job.spec as { model: unknown }).model);
  }
  assert.is(
    trainingWork(
      plan,
      plan.jobs.find((job) => job.kind === 'predict')!,
    ),
    undefined,
  );
});

test('the record turns run times into samples/s per key and seconds per kind; the estimate reads them back', () => {
  const plan = quickstart();
  const record = { version: 1 as const, training: {}, jobs: {} };
  const training = trainingJobs(plan);
  assert.is(unrecordedTraining(plan, plan.jobs, record, 'wasm').size, 1);
  const first = training[0]!;
  const sampleEpochs = first.cost!.samples * first.cost!.epochs;
  recordJob(record, plan, first, sampleEpochs / 500, 'wasm');
  const predict = plan.jobs.find((job) => job.kind === 'predict')!;
  recordJob(record, plan, predict, 0.25, 'wasm');
  recordJob(record, plan, predict, 0.75, 'wasm');
  recordJob(record, plan, predict, 0.5, 'wasm');
  assert.equal(record.training, { [trainingKey(trainingWork(plan, first)!, 'wasm')]: [500] });
  assert.is(unrecordedTraining(plan, plan.jobs, record, 'wasm').size, 0);
  assert.is(unrecordedTraining(plan, plan.jobs, record, 'cpu').size, 1, 'figures are per backend');

  const estimator = jobEstimator(plan, record, 'wasm');
  for (const job of training) {
    assert.ok(Math.abs(estimator.seconds(job) - (job.cost!.samples * job.cost!.epochs) / 500) < 1e-9, job.id);
  }
  assert.is(estimator.seconds(predict), 0.5, 'the median of the kind’s times');
  const sources = estimator.sources(plan.jobs);
  const predicts = plan.jobs.filter((job) => job.kind === 'predict').length;
  assert.is(sources.recorded, training.length + predicts);
  assert.is(sources.unknown, plan.jobs.length - training.length - predicts);
});

test('a calibrated rate fills a key the record lacks; a recorded one wins', () => {
  const plan = quickstart();
  const job = trainingJobs(plan)[0]!;
  const key = trainingKey(trainingWork(plan, job)!, 'wasm');
  const empty = { version: 1 as const, training: {}, jobs: {} };
  const calibrated = jobEstimator(plan, empty, 'wasm', { [key]: 1000 });
  assert.is(calibrated.sources([job]).calibrated, 1);
  const recorded = jobEstimator(plan, { ...empty, training: { [key]: [250] } }, 'wasm', { [key]: 1000 });
  assert.is(recorded.seconds(job), (4 * calibrated.seconds(job)) / 1);
  assert.is(recorded.sources([job]).recorded, 1);
});

test('plan’s estimate: the record read from the cache folder, simulated on the workers, plus their start-up', async () => {
  const plan = quickstart();
  const cacheDir = mkdtempSync(join(tmpdir(), 'shiftlab-throughput-'));
  const toRun: Job[] = plan.jobs;
  assert.is(await estimatePlan(plan, toRun, cacheDir, { workers: 2, calibrate: false }), undefined);
  const record = await readThroughput(cacheDir);
  for (const job of plan.jobs) recordJob(record, plan, job, job.cost ? 2 : 0.1, 'wasm');
  recordStart(record, 1.5, 'wasm');
  record.auto = 'wasm';
  await writeThroughput(cacheDir, record);
  const estimate = await estimatePlan(plan, toRun, cacheDir, { workers: 2, calibrate: false });
  assert.ok(estimate);
  assert.is(estimate.backend, 'wasm');
  assert.is(estimate.workers, 2);
  assert.is(estimate.sources.unknown, 0);
  const seconds = jobEstimator(plan, record, 'wasm').seconds;
  assert.ok(Math.abs(estimate.seconds - (simulatedWallTime(toRun, seconds, 2) + 1.5)) < 1e-9);
});

test.run();
