import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Cache } from '../../runtime/exec/index.ts';
import type { Job, Plan } from '../../runtime/plan.ts';
import { runCli } from '../helpers/cli.ts';
import { STUDY } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'shiftlab-plan-'));
const file = join(dir, 'toy.study');
writeFileSync(file, STUDY);

interface PlanOutput {
  version: number;
  summary: {
    total: { jobs: number; cached: number; toRun: number; cost: number };
    kinds: { kind: string; jobs: number }[];
  };
  status: Record<string, string>;
  plan: Plan;
}

function planJson(cache: string): PlanOutput {
  const result = runCli(['plan', file, '--cache', cache, '--json']);
  assert.is(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as PlanOutput;
}

async function seed(cache: string, job: Job, contents = 'fake artifact'): Promise<string> {
  const store = new Cache(cache);
  const pending = await store.begin(job.hash);
  await writeFile(join(pending.dir, 'artifact.txt'), contents);
  await store.commit(pending, job);
  return join(store.entryDir(job.hash), 'artifact.txt');
}

test('--json: the plan, every job to run against an empty cache, and the summary', () => {
  const output = planJson(join(dir, 'empty-cache'));
  assert.is(output.version, 1);
  const jobs = output.plan.jobs;
  assert.is(output.summary.total.jobs, jobs.length);
  assert.is(output.summary.total.toRun, jobs.length);
  assert.is(output.summary.total.cached, 0);
  assert.ok(jobs.every((job) => output.status[job.id] === 'run'));
  // Cost: (2 baseline × 4 epochs + 4 arm-or-candidate runs × 2 epochs) × 540 samples + pre-training 400 × 4.
  assert.is(output.summary.total.cost, (2 * 4 + 4 * 2) * 540 + 400 * 4);
  assert.is(output.summary.kinds.find((kind) => kind.kind === 'train')?.jobs, 6);
});

test('cached entries count as cached; a corrupt one will run again', async () => {
  const cache = join(dir, 'seeded-cache');
  const { plan } = planJson(cache);
  const load = plan.jobs.find((job) => job.id === 'load:points')!;
  const pretrain = plan.jobs.find((job) => job.id === 'pretrain:broad')!;
  await seed(cache, load);
  const artifact = await seed(cache, pretrain);
  writeFileSync(artifact, 'tampered with: a different size');

  const output = planJson(cache);
  assert.is(output.status['load:points'], 'cached');
  assert.is(output.status['pretrain:broad'], 'corrupt');
  assert.is(output.summary.total.cached, 1);
  assert.is(output.summary.total.toRun, plan.jobs.length - 1);

  const text = runCli(['plan', file, '--cache', cache]);
  assert.is(text.status, 0, text.stderr);
  assert.match(text.stdout, /^ {2}load +1 +1 +0$/m);
  assert.match(
    text.stdout,
    `Plan: ${plan.jobs.length - 1} to run, 1 cached (1 cache entry is corrupt and will run again)`,
  );
  assert.match(text.stdout, /! pretrain:broad {2}400 × 4 epochs {2}\(artifact\.txt: size/);

  const listed = runCli(['plan', file, '--cache', cache, '--list']);
  assert.match(listed.stdout, /^ {2}= load:points$/m);
  assert.match(listed.stdout, /^ {2}\+ metric:tuned#1 on outside\.test$/m);
});

test('text output: jobs by kind with counts, the training that will run, and its cost', () => {
  const result = runCli(['plan', file, '--cache', join(dir, 'empty-cache')]);
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stdout, 'Plan for study toy');
  assert.match(result.stdout, /^ {2}kind +jobs +cached +to run +cost \(samples × epochs\)$/m);
  assert.match(result.stdout, /^ {2}checkpoint +6 +0 +6$/m);
  assert.match(result.stdout, /^ {2}train +6 +0 +6 +8,640$/m);
  assert.match(result.stdout, '+ train:scratch#1  540 × 4 epochs');
  assert.not.match(result.stdout, 'metric:');
  assert.match(result.stdout, 'estimated training 10,240 samples × epochs.');
});

test('a study with errors prints its diagnostics and exits 1; a missing file exits 2', () => {
  const broken = join(dir, 'broken.study');
  writeFileSync(broken, STUDY.replace('train reference, recipe fit', 'train refrence, recipe fit'));
  const result = runCli(['plan', broken, '--cache', join(dir, 'empty-cache')]);
  assert.is(result.status, 1);
  assert.match(result.stderr, 'refrence');
  assert.is(result.stdout, '');
  assert.not.match(result.stderr, /\n\s+at /);

  const missing = runCli(['plan', join(dir, 'nope.study')]);
  assert.is(missing.status, 2);
  assert.match(missing.stderr, 'cannot read');
});

test('--help documents the command', () => {
  const result = runCli(['plan', '--help']);
  assert.is(result.status, 0);
  assert.match(result.stdout, '--cache <dir>');
  assert.match(result.stdout, '.shiftlab/cache');
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
