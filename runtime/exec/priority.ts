// Which ready job a free worker takes next, and how busy the pool was. A study's wall time is bounded below by
// its longest chain of dependent jobs (a pre-training, then its fine-tunings, then their predictions), so the
// scheduler starts the job heading the longest remaining chain first ("critical path" list scheduling): short
// independent jobs then fill the other workers around it instead of delaying it.
import type { RunnableJob } from './handler.ts';

/** A job's estimated cost (any unit, e.g. seconds or training sample-epochs); only comparisons matter. */
export type CostEstimate = (job: RunnableJob) => number;

/**
 * Every job without a training cost counts this much, so that among chains of equal training cost the one
 * with more jobs goes first (each job adds hand-off and start-up time), and so a plan without costs is still
 * ordered by chain length.
 */
const UNTRAINED_JOB_COST = 1;

/** Training samples × epochs, or one unit for a job that trains nothing. */
export const sampleEpochCost: CostEstimate = (job) =>
  job.cost ? Math.max(UNTRAINED_JOB_COST, job.cost.samples * job.cost.epochs) : UNTRAINED_JOB_COST;

/**
 * Each job's critical-path length: its own cost plus the longest such length among the jobs that depend on it
 * (only among `jobs`; dependents outside it are done or not run). `jobs` may come in any order.
 */
export function criticalPaths(jobs: readonly RunnableJob[], estimate: CostEstimate): Map<string, number> {
  const ids = new Set(jobs.map((job) => job.id));
  const dependents = new Map<string, RunnableJob[]>();
  for (const job of jobs)
    for (const dep of job.deps) if (ids.has(dep)) dependents.set(dep, [...(dependents.get(dep) ?? []), job]);
  const length = new Map<string, number>();
  // Depth-first with an explicit stack: a study's chains can be longer than the call stack is deep.
  for (const root of jobs) {
    const stack: { job: RunnableJob; expanded: boolean }[] = [{ job: root, expanded: false }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (length.has(top.job.id)) {
        stack.pop();
        continue;
      }
      const below = dependents.get(top.job.id) ?? [];
      if (!top.expanded) {
        top.expanded = true;
        for (const dependent of below) if (!length.has(dependent.id)) stack.push({ job: dependent, expanded: false });
        continue;
      }
      stack.pop();
      const longest = Math.max(0, ...below.map((dependent) => length.get(dependent.id)!));
      length.set(top.job.id, estimate(top.job) + longest);
    }
  }
  return length;
}

/**
 * Removes and returns the ready job with the longest critical path; ties go to the job listed first in
 * `ready` (plan order for the initial jobs, so the choice is deterministic).
 */
export function takeNext(ready: RunnableJob[], paths: ReadonlyMap<string, number>): RunnableJob | undefined {
  let best = -1;
  for (let index = 0; index < ready.length; index++) {
    if (best < 0 || paths.get(ready[index]!.id)! > paths.get(ready[best]!.id)!) best = index;
  }
  return best < 0 ? undefined : ready.splice(best, 1)[0];
}

/** How busy a pool was: busy worker-seconds over the worker-seconds it had (workers × wall time). */
export interface PoolUsage {
  workers: number;
  /** Wall time from starting the workers to the last job's end. */
  seconds: number;
  /** Σ of each job's run time. */
  busySeconds: number;
  /** busySeconds / (workers × seconds), in [0, 1]; 0 when nothing ran. */
  utilisation: number;
  /** The wall time estimated before the run (jobs and workers' start-up), when there was an estimate. */
  estimatedSeconds?: number;
}

export function poolUsage(workers: number, seconds: number, jobSeconds: readonly number[]): PoolUsage {
  const busySeconds = jobSeconds.reduce((sum, value) => sum + value, 0);
  const available = workers * seconds;
  return { workers, seconds, busySeconds, utilisation: available > 0 ? Math.min(1, busySeconds / available) : 0 };
}

/**
 * The wall time of running `jobs` on `workers` slots as the scheduler does (longest critical path first, each
 * job as soon as its dependencies inside `jobs` are done and a slot is free), with each job taking
 * `seconds(job)`. An event simulation: exact for the given durations.
 */
export function simulatedWallTime(jobs: readonly RunnableJob[], seconds: CostEstimate, workers: number): number {
  const slots = Math.max(1, workers);
  const paths = criticalPaths(jobs, seconds);
  const ids = new Set(jobs.map((job) => job.id));
  const waitingOn = new Map(jobs.map((job) => [job.id, job.deps.filter((dep) => ids.has(dep)).length]));
  const dependents = new Map<string, RunnableJob[]>();
  for (const job of jobs)
    for (const dep of job.deps) if (ids.has(dep)) dependents.set(dep, [...(dependents.get(dep) ?? []), job]);
  const ready = jobs.filter((job) => waitingOn.get(job.id) === 0);
  const running: { job: RunnableJob; end: number }[] = [];
  let now = 0;
  while (ready.length > 0 || running.length > 0) {
    while (ready.length > 0 && running.length < slots) {
      const job = takeNext(ready, paths)!;
      running.push({ job, end: now + seconds(job) });
    }
    running.sort((a, b) => a.end - b.end);
    const finished = running.shift()!;
    now = finished.end;
    for (const dependent of dependents.get(finished.job.id) ?? []) {
      const left = waitingOn.get(dependent.id)! - 1;
      waitingOn.set(dependent.id, left);
      if (left === 0) ready.push(dependent);
    }
  }
  return now;
}
