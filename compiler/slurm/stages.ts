// Stages of a plan for SLURM: the jobs still to run, grouped by topological level. Every job of a stage
// depends only on jobs of earlier stages (or on cached ones), so one job array per stage, each waiting for
// the previous array (afterok), runs the DAG in order.
import type { Job, Plan } from '../../runtime/plan.ts';

export interface Stage {
  /** 0-based position in submission order. */
  index: number;
  /** In plan order, so a stage's array indices are deterministic. */
  jobs: Job[];
}

/**
 * The jobs of `plan` not in `cached` (a set of job ids), by level: a job's level is one more than the
 * highest level among its uncached dependencies, 0 when it has none. Cached jobs are left out and do not
 * hold their dependants back. Stages are never empty.
 */
export function planStages(plan: Plan, cached: ReadonlySet<string> = new Set()): Stage[] {
  const byId = new Map(plan.jobs.map((job) => [job.id, job]));
  const levels = new Map<string, number>();
  const visiting = new Set<string>();

  const levelOf = (job: Job): number => {
    const known = levels.get(job.id);
    if (known !== undefined) return known;
    if (visiting.has(job.id)) throw new Error(`plan has a dependency cycle through '${job.id}'`);
    visiting.add(job.id);
    let level = 0;
    for (const depId of job.deps) {
      const dep = byId.get(depId);
      if (!dep) throw new Error(`job '${job.id}' depends on '${depId}', which is not in the plan`);
      const depLevel = levelOf(dep); // walked even when cached, so every cycle is reported
      if (!cached.has(depId)) level = Math.max(level, depLevel + 1);
    }
    visiting.delete(job.id);
    levels.set(job.id, level);
    return level;
  };

  const stages: Job[][] = [];
  for (const job of plan.jobs) {
    const level = levelOf(job);
    if (cached.has(job.id)) continue;
    (stages[level] ??= []).push(job);
  }
  // No gaps: an uncached job at level L > 0 has an uncached dependency at level L - 1.
  return stages.map((jobs, index) => ({ index, jobs }));
}
