import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { executePlan, type ExecEvent } from '../../runtime/exec/index.ts';
import {
  criticalPaths,
  poolUsage,
  sampleEpochCost,
  simulatedWallTime,
  takeNext,
  type CostEstimate,
} from '../../runtime/exec/priority.ts';
import { handlerModule, readLog, toyPlan, type ToyJob } from './fixtures/plan.ts';

// A study in miniature. Listed in plan order, the short independent jobs come first:
//   s1, s2            (cost 2 each, no dependents)
//   p (8) -> f1 (3) -> e1 (1)
//         -> f2 (5) -> e2 (1)
//   b (4) -> c (4)
const costs: Record<string, number> = { s1: 2, s2: 2, p: 8, f1: 3, e1: 1, f2: 5, e2: 1, b: 4, c: 4 };
const studyJobs: ToyJob[] = [
  { id: 's1', spec: { value: 1 } },
  { id: 's2', spec: { value: 2 } },
  { id: 'p', spec: { value: 3 } },
  { id: 'f1', spec: { value: 4 }, deps: ['p'] },
  { id: 'e1', spec: { value: 5 }, deps: ['f1'] },
  { id: 'f2', spec: { value: 6 }, deps: ['p'] },
  { id: 'e2', spec: { value: 7 }, deps: ['f2'] },
  { id: 'b', spec: { value: 8 } },
  { id: 'c', spec: { value: 9 }, deps: ['b'] },
];
const byTable: CostEstimate = (job) => costs[job.id]!;

test('a critical path is the job’s cost plus the longest path among its dependents', () => {
  const paths = criticalPaths(toyPlan(studyJobs).jobs, byTable);
  assert.equal(Object.fromEntries(paths), { s1: 2, s2: 2, p: 14, f1: 4, e1: 1, f2: 6, e2: 1, b: 8, c: 4 });
});

test('the job list order does not change the paths', () => {
  const jobs = toyPlan(studyJobs).jobs;
  const forward = criticalPaths(jobs, byTable);
  const backward = criticalPaths([...jobs].reverse(), byTable);
  assert.equal(Object.fromEntries(backward), Object.fromEntries(forward));
});

test('dependents outside the jobs to run (cached or not run) do not count', () => {
  const jobs = toyPlan(studyJobs).jobs.filter((job) => job.id !== 'f2' && job.id !== 'e2');
  assert.is(criticalPaths(jobs, byTable).get('p'), 12);
});

test('a long chain gets its length without recursion depth limits', () => {
  const chain: ToyJob[] = Array.from({ length: 20000 }, (_, index) => ({
    id: `j${index}`,
    spec: { value: index },
    deps: index ? [`j${index - 1}`] : [],
  }));
  const paths = criticalPaths(toyPlan(chain).jobs, () => 1);
  assert.is(paths.get('j0'), 20000);
  assert.is(paths.get('j19999'), 1);
});

test('takeNext picks the longest path and breaks ties by list order', () => {
  const jobs = toyPlan(studyJobs).jobs;
  const paths = criticalPaths(jobs, byTable);
  const ready = jobs.filter((job) => job.deps.length === 0);
  assert.equal(
    [takeNext(ready, paths), takeNext(ready, paths), takeNext(ready, paths), takeNext(ready, paths)].map((j) => j!.id),
    ['p', 'b', 's1', 's2'],
  );
  assert.is(takeNext(ready, paths), undefined);
});

test('without an estimate, training samples × epochs rank jobs; a job that trains nothing counts one', () => {
  const [trained, untrained] = toyPlan([
    { id: 't', spec: { value: 1 }, cost: { samples: 1000, epochs: 3 } },
    { id: 'u', spec: { value: 2 } },
  ]).jobs;
  assert.is(sampleEpochCost(trained!), 3000);
  assert.is(sampleEpochCost(untrained!), 1);
});

test('one worker runs the jobs heading the longest chains first', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shiftlab-priority-'));
  const logFile = join(dir, 'log.jsonl');
  const plan = toyPlan(studyJobs);
  const result = await executePlan(plan, {
    cacheDir: join(dir, 'cache'),
    workers: 0,
    handlers: { module: handlerModule, options: { logFile } },
    estimate: () => byTable,
  });
  assert.ok(result.ok);
  // p (14) first; its dependents f1 (4) and f2 (6) join s1, s2, b (8): b, then f2. f1 and c tie at 4 and
  // f1 was readied first. Then s1, s2 (2), and e2, e1 (1) in the order they became ready.
  assert.equal(
    readLog(logFile).map((line) => line.jobId),
    ['p', 'b', 'f2', 'f1', 'c', 's1', 's2', 'e2', 'e1'],
  );
});

test('the simulated wall time: all work on one worker, the critical path with many, packed work on two', () => {
  const jobs = toyPlan(studyJobs).jobs;
  const work = Object.values(costs).reduce((sum, cost) => sum + cost, 0);
  assert.is(simulatedWallTime(jobs, byTable, 1), work);
  assert.is(simulatedWallTime(jobs, byTable, 9), Math.max(...criticalPaths(jobs, byTable).values()));
  // p | b, c | f2 … : both workers stay busy to the end, so two workers finish in half the work.
  assert.is(simulatedWallTime(jobs, byTable, 2), work / 2);
});

test('utilisation is busy worker-seconds over workers × wall seconds', () => {
  assert.equal(poolUsage(2, 10, [4, 6, 5]), { workers: 2, seconds: 10, busySeconds: 15, utilisation: 0.75 });
  assert.is(poolUsage(1, 0, []).utilisation, 0);
});

test('a run reports its pool usage, consistent with the jobs’ own run times', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shiftlab-usage-'));
  const logFile = join(dir, 'log.jsonl');
  const plan = toyPlan([1, 2, 3].map((value) => ({ id: `s${value}`, spec: { value, sleepMs: 100 } })));
  const events: ExecEvent[] = [];
  const options = {
    cacheDir: join(dir, 'cache'),
    workers: 2,
    handlers: { module: handlerModule, options: { logFile } },
    onEvent: (event: ExecEvent) => events.push(event),
  };
  const { pool } = await executePlan(plan, options);
  assert.ok(pool);
  assert.is(pool.workers, 2);
  // Each job's busy time contains its handler's own (logged, whole-millisecond) run time.
  const handlerSeconds = readLog(logFile).reduce((sum, line) => sum + (line.end - line.start) / 1000, 0);
  assert.ok(pool.busySeconds >= handlerSeconds - 0.003, `${pool.busySeconds} ≥ ${handlerSeconds}`);
  assert.ok(pool.busySeconds <= pool.workers * pool.seconds);
  assert.is(pool.utilisation, pool.busySeconds / (pool.workers * pool.seconds));
  const done = events.find((event) => event.type === 'plan-done');
  assert.is(done?.type === 'plan-done' ? done.utilisation : undefined, pool.utilisation);
  // A second run finds everything cached: no pool ran.
  assert.is((await executePlan(plan, options)).pool, undefined);
});

test.run();
