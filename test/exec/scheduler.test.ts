import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  Cache,
  executePlan,
  JobFailedError,
  PlanError,
  type ExecEvent,
  type ExecuteOptions,
  type RunnablePlan,
} from '../../runtime/exec/index.ts';
import { handlerModule, readLog, toyPlan } from './fixtures/plan.ts';

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'shiftlab-exec-'));
  return { cacheDir: join(dir, 'cache'), logFile: join(dir, 'log.jsonl') };
}

async function run(plan: RunnablePlan, ws: ReturnType<typeof workspace>, options: Partial<ExecuteOptions> = {}) {
  const events: ExecEvent[] = [];
  const result = await executePlan(plan, {
    cacheDir: ws.cacheDir,
    workers: 2,
    handlers: { module: handlerModule, options: { logFile: ws.logFile } },
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { result, events };
}

async function valueOf(cacheDir: string, hash: string): Promise<number> {
  const found = await new Cache(cacheDir).lookup(hash);
  if (found.status !== 'hit') throw new Error(`no cache entry ${hash}`);
  return JSON.parse(readFileSync(join(found.dir, 'value.json'), 'utf8')) as number;
}

// a, b → c; c → d; b → e. Values: a=1, b=10, c=100+a+b, d=1000+c, e=10000+b.
const diamond = () =>
  toyPlan([
    { id: 'a', spec: { value: 1, sleepMs: 30 } },
    { id: 'b', spec: { value: 10 } },
    { id: 'c', spec: { value: 100 }, deps: ['a', 'b'] },
    { id: 'd', spec: { value: 1000 }, deps: ['c'] },
    { id: 'e', spec: { value: 10000 }, deps: ['b'] },
  ]);

for (const workers of [0, 2]) {
  test(`dependencies run first and their outputs reach dependents (workers: ${workers})`, async () => {
    const ws = workspace();
    const plan = diamond();
    const { result } = await run(plan, ws, { workers });
    assert.ok(result.ok);
    assert.equal([...result.ran].sort(), ['a', 'b', 'c', 'd', 'e']);
    const log = new Map(readLog(ws.logFile).map((line) => [line.jobId, line]));
    for (const job of plan.jobs)
      for (const dep of job.deps) assert.ok(log.get(dep)!.end <= log.get(job.id)!.start, `${dep} before ${job.id}`);
    const hash = (id: string) => plan.jobs.find((job) => job.id === id)!.hash;
    assert.is(await valueOf(ws.cacheDir, hash('d')), 1111);
    assert.is(await valueOf(ws.cacheDir, hash('e')), 10010);
  });
}

test('two workers run independent jobs at the same time, on different threads', async () => {
  const ws = workspace();
  const plan = toyPlan([1, 2, 3, 4].map((value) => ({ id: `s${value}`, spec: { value, sleepMs: 250 } })));
  const { result } = await run(plan, ws);
  assert.ok(result.ok);
  const log = readLog(ws.logFile);
  assert.is(log.length, 4);
  const overlapping = log.some((x) =>
    log.some((y) => x !== y && x.start < y.end && y.start < x.end && x.thread !== y.thread),
  );
  assert.ok(overlapping, 'some jobs overlap in time');
  assert.is(new Set(log.map((line) => line.thread)).size, 2);
});

test('a second run finds everything cached and invokes no handler', async () => {
  const ws = workspace();
  await run(diamond(), ws);
  const before = readLog(ws.logFile).length;
  const { result, events } = await run(diamond(), ws);
  assert.is(readLog(ws.logFile).length, before);
  assert.equal(result.ran, []);
  assert.is(result.cached.length, 5);
  assert.equal(events[0], { type: 'plan-start', total: 5, cached: 5, toRun: 0, workers: 0 });
});

test('a corrupted artifact is reported and its job re-runs', async () => {
  const ws = workspace();
  const plan = diamond();
  await run(plan, ws);
  const c = plan.jobs.find((job) => job.id === 'c')!;
  writeFileSync(join(ws.cacheDir, c.hash, 'value.json'), '999');
  const { result, events } = await run(plan, ws);
  assert.equal(result.ran, ['c']);
  const corrupt = events.find((event) => event.type === 'cache-corrupt');
  assert.equal(corrupt, { type: 'cache-corrupt', jobId: 'c', hash: c.hash, reason: 'value.json: checksum mismatch' });
  assert.is(await valueOf(ws.cacheDir, c.hash), 111);
});

test('a failure names the job and its study line, skips dependents, and lets other jobs finish', async () => {
  const ws = workspace();
  const source = { file: 'toy.study', line: 7, column: 3, text: 'train broken on mnist' };
  const plan = toyPlan([
    { id: 'bad', kind: 'fail', spec: { value: 0, message: 'NaN loss at epoch 2' }, source },
    { id: 'after-bad', spec: { value: 1 }, deps: ['bad'] },
    { id: 'slow', spec: { value: 2, sleepMs: 200 } },
    { id: 'after-slow', spec: { value: 3 }, deps: ['slow'] },
  ]);
  const { result, events } = await run(plan, ws);
  assert.not.ok(result.ok);
  assert.is(result.failed.length, 1);
  const failure = result.failed[0];
  assert.instance(failure, JobFailedError);
  assert.is(failure.jobId, 'bad');
  assert.equal(failure.source, source);
  assert.match(failure.message, 'job bad (fail) failed at toy.study:7:3: NaN loss at epoch 2');
  assert.equal(result.skipped, ['after-bad']);
  assert.equal([...result.ran].sort(), ['after-slow', 'slow']);
  assert.ok(!readLog(ws.logFile).some((line) => line.jobId === 'after-bad'));
  const failedEvent = events.find((event) => event.type === 'job-failed');
  assert.equal(failedEvent, { type: 'job-failed', jobId: 'bad', kind: 'fail', message: 'NaN loss at epoch 2', source });
  // What finished is cached: a re-run only retries the failed part.
  const again = await run(plan, ws);
  assert.equal(again.result.cached.sort(), ['after-slow', 'slow']);
});

test('a worker that dies fails its job only; the pool replaces it and runs the rest', async () => {
  const ws = workspace();
  const plan = toyPlan([
    { id: 'boom', kind: 'crash', spec: { value: 0 } },
    { id: 'x1', spec: { value: 1, sleepMs: 50 } },
    { id: 'x2', spec: { value: 2 } },
    { id: 'x3', spec: { value: 3 } },
  ]);
  const { result } = await run(plan, ws);
  assert.equal(
    result.failed.map((failure) => failure.jobId),
    ['boom'],
  );
  assert.match(result.failed[0].detail, /worker \d stopped unexpectedly \(exit code 3\)/);
  assert.equal([...result.ran].sort(), ['x1', 'x2', 'x3']);
});

test('only: refuses a job whose dependencies are not cached, then runs just that job', async () => {
  const ws = workspace();
  const plan = diamond();
  try {
    await run(plan, ws, { only: 'c' });
    assert.unreachable('should refuse');
  } catch (error) {
    assert.instance(error, PlanError);
    assert.match((error as Error).message, 'job c needs a, b, not in the cache');
  }
  await run(plan, ws, { only: 'a' });
  await run(plan, ws, { only: 'b' });
  const { result } = await run(plan, ws, { only: 'c' });
  assert.equal(result.ran, ['c']);
  assert.equal(
    readLog(ws.logFile).map((line) => line.jobId),
    ['a', 'b', 'c'],
  );
  // A cached job is a no-op: SLURM tasks are idempotent.
  const again = await run(plan, ws, { only: 'c' });
  assert.equal(again.result.cached, ['c']);
  assert.is(readLog(ws.logFile).length, 3);
  await run(plan, ws, { only: 'nope' }).then(
    () => assert.unreachable('unknown job'),
    (error: Error) => assert.match(error.message, 'the plan has no job nope'),
  );
});

test('progress reported by a handler in a worker arrives as job-progress events', async () => {
  const ws = workspace();
  const { events } = await run(toyPlan([{ id: 'p', spec: { value: 1, epochs: 3 } }]), ws);
  const progress = events.filter((event) => event.type === 'job-progress');
  assert.equal(
    progress.map((event) => [event.epoch, event.epochs, event.loss]),
    [
      [1, 3, 1],
      [2, 3, 0.5],
      [3, 3, 1 / 3],
    ],
  );
});

test('two pools racing on one cache both succeed and leave valid entries', async () => {
  const ws = workspace();
  const plan = toyPlan([1, 2, 3, 4, 5, 6].map((value) => ({ id: `r${value}`, spec: { value, sleepMs: 20 } })));
  const [first, second] = await Promise.all([run(plan, ws), run(plan, ws, { workers: 1 })]);
  assert.ok(first.result.ok && second.result.ok);
  for (const job of plan.jobs)
    assert.is(await valueOf(ws.cacheDir, job.hash), job.spec && (job.spec as { value: number }).value);
});

test('a plan with an unknown dependency or a cycle is rejected before anything runs', async () => {
  const ws = workspace();
  const unknown = toyPlan([{ id: 'x', spec: { value: 1 } }]);
  unknown.jobs[0].deps = ['ghost'];
  await run(unknown, ws).then(
    () => assert.unreachable(),
    (error: Error) => assert.match(error.message, 'job x depends on unknown job ghost'),
  );
  const cyclic = toyPlan([
    { id: 'x', spec: { value: 1 } },
    { id: 'y', spec: { value: 1 }, deps: ['x'] },
  ]);
  cyclic.jobs[0].deps = ['y'];
  await run(cyclic, ws).then(
    () => assert.unreachable(),
    (error: Error) => assert.match(error.message, 'dependency cycle: x -> y -> x'),
  );
  assert.is(readLog(ws.logFile).length, 0);
});

test('an aborted run stops, reports interruption and keeps finished jobs', async () => {
  const ws = workspace();
  const plan = toyPlan([
    { id: 'quick', spec: { value: 1 } },
    { id: 'long', spec: { value: 2, sleepMs: 5000 } },
  ]);
  const controller = new AbortController();
  const started = Date.now();
  const { result } = await run(plan, ws, {
    signal: controller.signal,
    onEvent: (event) => {
      if (event.type === 'job-done' && event.jobId === 'quick') controller.abort();
    },
  });
  assert.ok(Date.now() - started < 4000, 'did not wait for the long job');
  assert.ok(result.interrupted);
  assert.equal(result.ran, ['quick']);
  assert.equal(result.skipped, ['long']);
  assert.is((await new Cache(ws.cacheDir).lookup(plan.jobs[0].hash)).status, 'hit');
  assert.is((await new Cache(ws.cacheDir).lookup(plan.jobs[1].hash)).status, 'missing');
});

test.run();
