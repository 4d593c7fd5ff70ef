// End to end on a real SLURM cluster (the single-node one .ci/run starts): submit a tiny study with one job
// sabotaged, check the failure cancels every later stage, regenerate and resubmit (only what is missing
// runs), then assemble results from the shared cache and compare them with a local run on a fresh cache.
// Skipped, with the reason, when not root or when no cluster answers; .ci/run sets SHIFTLAB_SLURM=ready
// after starting one, and then an unresponsive cluster is a failure, not a skip.
import { spawnSync } from 'node:child_process';
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
const WAIT_MS = 4 * 60_000;

function sh(command: string, args: string[], timeout = 30_000) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout });
  return { ok: result.status === 0, stdout: result.stdout ?? '', stderr: result.stderr ?? String(result.error ?? '') };
}

/** Why the cluster test cannot run here, or null when it can. */
function unavailable(): string | null {
  const required = process.env.SHIFTLAB_SLURM === 'ready';
  if (!required && process.getuid?.() !== 0) return 'not root (the single-node cluster needs root; .ci/run starts it)';
  const sinfo = sh('sinfo', ['-h', '-o', '%T'], 10_000);
  if (!sinfo.ok || !/idle|mix|alloc/.test(sinfo.stdout)) {
    const reason = `no SLURM cluster answers (sinfo: ${(sinfo.stderr || sinfo.stdout).trim() || 'no usable node'})`;
    if (required) throw new Error(`SHIFTLAB_SLURM=ready but ${reason}`);
    return reason;
  }
  return null;
}

function generate(outDir: string, cacheDir: string): { submit: string; stages: { name: string; jobs: string[] }[] } {
  const result = runCli(['slurm', STUDY, '-o', outDir, '--cache', cacheDir, '--json']);
  assert.is(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as { submit: string; stages: { name: string; jobs: string[] }[] };
}

/** Runs submit.sh and waits until its arrays leave the queue; stage name → SLURM job id, as printed. */
async function submitAndWait(submitScript: string): Promise<Map<string, string>> {
  const submitted = sh('bash', [submitScript]);
  assert.ok(submitted.ok, `submit.sh failed: ${submitted.stderr}`);
  const ids = new Map(
    submitted.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(' ') as [string, string]),
  );
  const list = [...ids.values()].join(',');
  const deadline = Date.now() + WAIT_MS;
  while (sh('squeue', ['-h', '-j', list]).stdout.trim() !== '') {
    if (Date.now() > deadline) {
      sh('scancel', [...ids.values()]);
      assert.unreachable(`jobs ${list} still queued after ${WAIT_MS / 1000} s:\n${sh('squeue', []).stdout}`);
    }
    await new Promise((done) => setTimeout(done, 1000));
  }
  return ids;
}

/** JobState of every task of a (finished) job array, from slurmctld (no accounting database needed). */
function states(jobId: string): string[] {
  return [...sh('scontrol', ['-o', 'show', 'job', jobId]).stdout.matchAll(/JobState=(\w+)/g)].map((match) => match[1]!);
}

async function cachedIds(plan: Plan, cacheDir: string): Promise<Set<string>> {
  const cache = new Cache(cacheDir);
  const hits = await Promise.all(
    plan.jobs.map(async (job) => ((await cache.lookup(job.hash)).status === 'hit' ? job.id : null)),
  );
  return new Set(hits.filter((id): id is string => id !== null));
}

/** results.json without what legitimately differs between two runs: when, and the local pool's usage (a
 *  cluster run has no pool of its own). */
function results(dir: string): unknown {
  const parsed = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Record<string, unknown>;
  delete parsed.createdAt;
  delete parsed.pool;
  return parsed;
}

test('slurm cluster: a failed task cancels later stages; resubmission runs only the rest; results equal a local run', async () => {
  const reason = unavailable();
  if (reason) {
    console.log(`  SKIPPED slurm cluster test: ${reason}`);
    return;
  }
  const plan = planFile(STUDY).plan!;
  const dir = mkdtempSync(join(tmpdir(), 'shiftlab cluster-')); // a space, as users' paths have
  const outDir = join(dir, 'slurm');
  const cacheDir = join(dir, 'shared cache');

  // 1. Sabotage the first job of stage-1: that task fails, so stage-2 onwards must be cancelled, not run.
  const first = generate(outDir, cacheDir);
  assert.ok(first.stages.length >= 3, 'the tiny study should have at least three stages');
  const broken = first.stages[1]!.jobs[0]!;
  const jobsFile = join(outDir, 'stage-1.jobs');
  writeFileSync(jobsFile, readFileSync(jobsFile, 'utf8').replace(`${broken}\n`, 'no-such-job\n'));
  const failed = await submitAndWait(first.submit);
  assert.ok(states(failed.get('stage-1')!).includes('FAILED'), `stage-1: ${states(failed.get('stage-1')!)}`);
  for (const stage of first.stages.slice(2)) {
    assert.equal(
      new Set(states(failed.get(stage.name)!)),
      new Set(['CANCELLED']),
      `${stage.name} after a failed stage`,
    );
  }
  // Verified by output files too: stage-0 is in the cache, nothing after the failure ran.
  const afterFailure = await cachedIds(plan, cacheDir);
  for (const id of first.stages[0]!.jobs) assert.ok(afterFailure.has(id), `${id} cached by stage-0`);
  assert.not.ok(afterFailure.has(broken));
  for (const stage of first.stages.slice(2))
    for (const id of stage.jobs) assert.not.ok(afterFailure.has(id), `${id} ran after a failure`);
  const logs = readdirSync(join(outDir, 'logs'));
  assert.ok(logs.some((name) => name.startsWith('stage-0_')));
  assert.not.ok(logs.some((name) => name.startsWith('stage-2_')));

  // 2. "Fix" and regenerate: the cached jobs are left out; resubmission completes the study.
  const second = generate(outDir, cacheDir);
  const resubmitted = second.stages.flatMap((stage) => stage.jobs);
  assert.equal(
    resubmitted.sort(),
    plan.jobs
      .map((job) => job.id)
      .filter((id) => !afterFailure.has(id))
      .sort(),
  );
  const done = await submitAndWait(second.submit);
  for (const [stage, id] of done) assert.equal(new Set(states(id)), new Set(['COMPLETED']), stage);
  assert.is((await cachedIds(plan, cacheDir)).size, plan.jobs.length, 'every job cached after the resubmission');

  // 3. Assembling from the shared cache runs nothing; its results equal a local run's on a fresh cache.
  const assembled = runCli(['run', STUDY, '--cache', cacheDir, '--out', join(dir, 'cluster-results'), '--quiet']);
  assert.is(assembled.status, 0, assembled.stderr);
  assert.match(assembled.stdout, /\b0 ran\b/);
  const local = runCli([
    'run',
    STUDY,
    '--cache',
    join(dir, 'local cache'),
    '--out',
    join(dir, 'local-results'),
    '--quiet',
  ]);
  assert.is(local.status, 0, local.stderr);
  assert.ok(existsSync(join(dir, 'local-results', 'results.json')));
  assert.equal(results(join(dir, 'cluster-results')), results(join(dir, 'local-results')));
});

test.run();
