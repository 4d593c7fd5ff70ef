// What makes SLURM tasks safe to run twice: two `run --job` processes on the same job and cache leave one
// valid entry and no debris, and a task whose job is cached exits 0 without running it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planFile } from '../../compiler/plan/index.ts';
import { Cache } from '../../runtime/exec/index.ts';
import { repoRoot, runCli } from '../helpers/cli.ts';

const STUDY = fileURLToPath(new URL('./fixtures/tiny.study', import.meta.url));
const BINARY = join(repoRoot, 'bin', 'shiftlab.mjs');

function runJob(job: string, cacheDir: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      [BINARY, 'run', STUDY, '--job', job, '--cache', cacheDir, '--workers', '0', '--quiet'],
      {
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

test('two concurrent tasks of one job leave one valid cache entry; a third finds it cached', async () => {
  const cacheDir = join(mkdtempSync(join(tmpdir(), 'shiftlab-slurm-race-')), 'cache');
  const job = planFile(STUDY).plan!.jobs.find((candidate) => candidate.deps.length === 0)!;
  const [a, b] = await Promise.all([runJob(job.id, cacheDir), runJob(job.id, cacheDir)]);
  assert.is(a.status, 0, a.stderr);
  assert.is(b.status, 0, b.stderr);
  const found = await new Cache(cacheDir).lookup(job.hash);
  assert.is(found.status, 'hit');
  // Only the entry itself (and the temp area, emptied, and the checksum memo): the loser's copy was discarded.
  assert.equal(
    readdirSync(cacheDir).filter((name) => !name.startsWith('.')),
    [job.hash],
  );
  assert.equal(readdirSync(join(cacheDir, '.tmp')), []);

  const again = runCli(['run', STUDY, '--job', job.id, '--cache', cacheDir, '--workers', '0', '--quiet']);
  assert.is(again.status, 0, again.stderr);
  assert.match(again.stdout, /already cached/);
  assert.match(again.stdout, /\b0 ran\b/);
});

test.run();
