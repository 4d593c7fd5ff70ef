// A fixture study planned once for an in-process run test, with a fresh cache folder and its jobs by id.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planFile } from '../../compiler/plan/index.ts';
import type { Job, Plan } from '../../runtime/plan.ts';

export interface PlannedFixture {
  plan: Plan;
  /** The study's text, as the run's metadata records it. */
  source: string;
  /** A fresh temporary folder for the run's outputs; `cache` is inside it. */
  dir: string;
  cache: string;
  /** The planned job with this id (a test naming a job the plan lacks fails here, by name). */
  job(id: string): Job;
}

export function plannedFixture(file: string, tempPrefix: string): PlannedFixture {
  const planned = planFile(file);
  const plan = planned.plan!;
  const dir = mkdtempSync(join(tmpdir(), tempPrefix));
  const cache = join(dir, 'cache');
  const job = (id: string) => {
    const found = plan.jobs.find((candidate) => candidate.id === id);
    if (!found) throw new Error(`no job ${id} in the plan`);
    return found;
  };
  return { plan, source: planned.source, dir, cache, job };
}
