// `shiftlab slurm` through the real binary: files written, cached jobs left out (a real cache, entries stored
// for some of the plan's hashes), stale stage files removed, clean usage errors.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planFile } from '../../compiler/plan/index.ts';
import { Cache } from '../../runtime/exec/index.ts';
import type { Plan } from '../../runtime/plan.ts';
import { runCli } from '../helpers/cli.ts';

const STUDY = new URL('./fixtures/tiny.study', import.meta.url).pathname;

interface SlurmJson {
  cache: string;
  outDir: string;
  submit: string;
  jobs: { total: number; cached: number; toRun: number };
  stages: { name: string; jobs: string[] }[];
}

function slurmJson(args: string[]): SlurmJson {
  const result = runCli(['slurm', STUDY, '--json', ...args]);
  assert.is(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as SlurmJson;
}

const plan: Plan = planFile(STUDY).plan!;

async function storeEmpty(cache: Cache, job: { id: string; kind: string; hash: string }): Promise<void> {
  const pending = await cache.begin(job.hash);
  writeFileSync(join(pending.dir, 'marker'), job.id);
  await cache.commit(pending, job);
}

test('writes a job list and array script per stage, submit.sh and logs/, with absolute paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shiftlab-slurm-cli-'));
  const out = slurmJson(['-o', join(dir, 'out'), '--cache', join(dir, 'cache'), '--partition', 'debug', '--cpus', '2']);
  assert.is(out.jobs.total, plan.jobs.length);
  assert.is(out.jobs.toRun, plan.jobs.length);
  assert.equal(out.stages.flatMap((stage) => stage.jobs).sort(), plan.jobs.map((job) => job.id).sort());
  assert.ok(existsSync(join(dir, 'out', 'logs')));
  assert.is(readFileSync(join(dir, 'out', 'stage-0.jobs'), 'utf8'), `${out.stages[0]!.jobs.join('\n')}\n`);
  const script = readFileSync(join(dir, 'out', 'stage-0.sbatch'), 'utf8');
  assert.match(script, /^#SBATCH --partition=debug$/m);
  assert.match(script, /^#SBATCH --cpus-per-task=2$/m);
  assert.match(
    script,
    new RegExp(
      `bin/shiftlab\\.mjs run ${STUDY.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} --job "\\$job" --cache ${dir}/cache `,
      'm',
    ),
  );
  assert.ok(readdirSync(join(dir, 'out')).includes('submit.sh'));
});

test('jobs in the cache are left out; a shorter regeneration removes stale stage files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shiftlab-slurm-cli-'));
  const cacheDir = join(dir, 'cache');
  const outDir = join(dir, 'out');
  const first = slurmJson(['-o', outDir, '--cache', cacheDir]);
  // Cache the first two stages: what is left starts at the old third stage.
  const cache = new Cache(cacheDir);
  const cachedIds = new Set([...first.stages[0]!.jobs, ...first.stages[1]!.jobs]);
  for (const job of plan.jobs.filter((j) => cachedIds.has(j.id))) await storeEmpty(cache, job);

  const second = slurmJson(['-o', outDir, '--cache', cacheDir]);
  assert.equal(second.jobs, {
    total: plan.jobs.length,
    cached: cachedIds.size,
    toRun: plan.jobs.length - cachedIds.size,
  });
  assert.equal(
    second.stages.map((stage) => stage.jobs),
    first.stages.slice(2).map((stage) => stage.jobs),
  );
  const stageFiles = readdirSync(outDir).filter((name) => name.startsWith('stage-'));
  assert.is(stageFiles.length, 2 * second.stages.length);
  for (const name of stageFiles) assert.ok(!cachedIds.has(readFileSync(join(outDir, name), 'utf8').split('\n')[0]!));
});

test('usage errors are one clean line with exit code 2', () => {
  for (const args of [
    ['--cpus', '0'],
    ['--mem', '4 G'],
  ]) {
    const result = runCli(['slurm', STUDY, ...args]);
    assert.is(result.status, 2, args.join(' '));
    assert.not.match(result.stderr, /\n\s+at /);
  }
  const missing = runCli(['slurm', '/nonexistent/x.study']);
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /cannot read \/nonexistent\/x\.study/);
});

test('a study with errors prints its diagnostics and exits 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shiftlab-slurm-cli-'));
  writeFileSync(join(dir, 'bad.study'), 'study bad {\n  baseline b { model nowhere }\n}\n');
  const result = runCli(['slurm', join(dir, 'bad.study'), '-o', join(dir, 'out')]);
  assert.is(result.status, 1);
  assert.match(result.stderr, /error/);
  assert.not.ok(existsSync(join(dir, 'out')));
});

test.run();
