// A fixture study planned for an in-process run test, with a fresh cache folder and its jobs by id.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
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
  return { plan, source: planned.source, dir, cache, job: (id) => jobIn(plan, id) };
}

/** The planned job with this id; a test naming a job the plan lacks fails here, listing the ones it has. */
export function jobIn(plan: Plan, id: string): Job {
  const found = plan.jobs.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no job ${id} in the plan: ${plan.jobs.map((j) => j.id).join(', ')}`);
  return found;
}

/** Plans the study file, asserting that it checks without a diagnostic. */
export function planClean(file: string): Plan {
  const planned = planFile(file);
  assert.equal(
    planned.diagnostics.map((d) => d.message),
    [],
  );
  return planned.plan!;
}
