// The planner: a checked study → a Plan (runtime/plan.ts), through the same StudyBuilder a compiled script
// calls, so `run`, `plan`, `diff` and compiled scripts agree on every job and hash.
import { readFileSync } from 'node:fs';
import type { Plan } from '../../runtime/plan.ts';
import { checkSource } from '../check/index.ts';
import type { TypedStudy } from '../check/typed.ts';
import type { Diagnostic } from '../diagnostics/index.ts';
import { buildStudy, newStudyBuilder, type PlanOptions } from './build.ts';

export { buildStudy, newStudyBuilder, type PlanOptions } from './build.ts';
export { toExpectInput } from './expect.ts';

/** The plan of a checked study; the digests of the input files it reads are part of its job hashes. */
export function planStudy(study: TypedStudy, source: string, options: PlanOptions = {}): Plan {
  return buildStudy(study, source, newStudyBuilder(study, source, options)).plan();
}

export interface PlannedFile {
  file: string;
  source: string;
  diagnostics: Diagnostic[];
  /** Null when the study has errors (see `diagnostics`). */
  plan: Plan | null;
}

/** Plans a source text; `file` is how spans and the plan name it. */
export function planSource(source: string, file: string): PlannedFile {
  const { diagnostics, study } = checkSource(source, file);
  return { file, source, diagnostics, plan: study ? planStudy(study, source) : null };
}

/** Reads, checks and plans a `.study` file (throws the read error when it cannot be read). */
export function planFile(path: string): PlannedFile {
  return planSource(readFileSync(path, 'utf8'), path);
}
