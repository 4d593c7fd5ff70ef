// `shiftlab diff`'s engine, Terraform style: compute a structural diff of two checked studies plus the
// impact of each change from the two plans, then render it (render.ts).
import type { Planner } from './impact.ts';
import { diffImpact } from './impact.ts';
import { structuralDiff, type CheckedSide } from './structural.ts';
import type { StudyDiff } from './types.ts';

export type { Change, AttributeChange, CheckedSide } from './structural.ts';
export type { ChangeImpact, Impact, ImpactClass, Planner, RetrainedModel, JobRef } from './impact.ts';
export { compareImpact, IMPACT_CLASSES } from './impact.ts';
export type { StudyDiff } from './types.ts';
export {
  DIFF_FORMAT_VERSION,
  renderJson,
  renderMarkdown,
  renderText,
  describeChange,
  describeImpact,
} from './render.ts';

/** Compares two checked studies; `planner` is compiler/plan's planStudy (injected to keep this testable). */
export function diffStudies(before: CheckedSide, after: CheckedSide, planner: Planner): StudyDiff {
  const structure = structuralDiff(before, after);
  const { total, changes } = diffImpact(structure, planner);
  const side = (s: CheckedSide) => ({ file: s.document.file, study: s.study.name });
  return { old: side(before), new: side(after), changes, total };
}
