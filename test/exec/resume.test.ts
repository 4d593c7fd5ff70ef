import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Cache, executePlan } from '../../runtime/exec/index.ts';
import { handlerModule, readLog, slowPlan } from './fixtures/plan.ts';

const child = fileURLToPath(new URL('./fixtures/run-slow-plan.mjs', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const entries = (cacheDir: string) => readdirSync(cacheDir).filter((name) => !name.startsWith('.'));

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'shiftlab-resume-'));
  return { cacheDir: join(dir, 'cache'), logFile: join(dir, 'log.jsonl') };
}

async function outputs(cacheDir: string): Promise<Record<string, string>> {
  const cache = new Cache(cacheDir);
  const values: Record<string, string> = {};
  for (const job of slowPlan().jobs) {
    const found = await cache.lookup(job.hash);
    assert.is(found.status, 'hit', `${job.id} cached`);
    if (found.status === 'hit') values[job.id] = readFileSync(join(found.dir, 'value.json'), 'utf8');
  }
  return values;
}

test('kill -9 mid-run loses no finished job; the re-run resumes and ends like an uninterrupted run', async () => {
  const killed = workspace();
  const proc = spawn(process.execPath, [child, killed.cacheDir, killed.logFile], { stdio: 'ignore' });
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const done = (() => {
      try {
        return entries(killed.cacheDir).length;
      } catch {
        return 0;
      }
    })();
    if (done >= 2) break;
    await sleep(10);
  }
  proc.kill('SIGKILL');
  await exited;

  const hashToId = new Map(slowPlan().jobs.map((job) => [job.hash, job.id]));
  const survived = entries(killed.cacheDir).map((hash) => hashToId.get(hash)!);
  assert.ok(survived.length >= 2 && survived.length < 6, `some but not all jobs finished (${survived.join(', ')})`);

  const resumeLog = join(killed.cacheDir, '..', 'resume.jsonl');
  const resumed = await executePlan(slowPlan(), {
    cacheDir: killed.cacheDir,
    workers: 2,
    handlers: { module: handlerModule, options: { logFile: resumeLog } },
  });
  assert.ok(resumed.ok);
  assert.equal([...resumed.cached].sort(), [...survived].sort());
  const redone = readLog(resumeLog).map((line) => line.jobId);
  assert.ok(
    !redone.some((id) => survived.includes(id)),
    `finished jobs were not redone (redone: ${redone.join(', ')})`,
  );
  assert.is(redone.length + survived.length, 6);

  const clean = workspace();
  await executePlan(slowPlan(), { cacheDir: clean.cacheDir, workers: 2, handlers: { module: handlerModule } });
  assert.equal(await outputs(killed.cacheDir), await outputs(clean.cacheDir));
  assert.equal(entries(killed.cacheDir).sort(), entries(clean.cacheDir).sort());
});

test('SIGINT stops scheduling, keeps finished jobs and reports the interruption', async () => {
  const ws = workspace();
  const proc = spawn(process.execPath, [child, ws.cacheDir, ws.logFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  let signalled = false;
  proc.stdout.on('data', (chunk) => {
    stdout += String(chunk);
    const done = stdout.split('\n').filter((line) => line.includes('"job-done"')).length;
    if (done >= 1 && !signalled) {
      signalled = true;
      proc.kill('SIGINT');
    }
  });
  const code = await new Promise((resolve) => proc.on('exit', resolve));
  assert.is(code, 130);
  const events = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; interrupted?: boolean; ran?: number });
  const last = events.at(-1)!;
  assert.is(last.type, 'plan-done');
  assert.ok(last.interrupted);
  assert.ok(last.ran! >= 1 && last.ran! < 6);
  assert.is(entries(ws.cacheDir).length, last.ran);
  // Nothing half-written is left in place of an entry.
  for (const hash of entries(ws.cacheDir)) assert.is((await new Cache(ws.cacheDir).lookup(hash)).status, 'hit');
});

test.run();
