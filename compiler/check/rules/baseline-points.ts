import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { spanOf } from '../lookup.ts';
import type { StudyRule, StudyRuleContext } from './context.ts';

/** S4004: a baseline needs ≥ 3 points to fit a line with an interval: one per checkpoint (its copies averaged),
 *  or one per checkpoint × copy under `points per_copy`. */
function baselinePoints({ study, bound, report }: StudyRuleContext): void {
  for (const group of study.groups) {
    if (group.role !== 'baseline') continue;
    const points = group.checkpoints.length * (group.points === 'per_copy' ? group.copies : 1);
    if (points >= 3) continue;
    report(
      createDiagnostic(
        Diagnostics.tooFewLinePoints,
        spanOf(bound.symbols.get(group.name)!, 'checkpoints'),
        [group.name, points],
        {
          hint:
            group.points === 'per_copy' || group.copies === 1
              ? 'evaluate more checkpoints (`checkpoints 2..8`) or train more `copies`'
              : 'evaluate more checkpoints (`checkpoints 2..8`); copies of a checkpoint average into one point unless `points per_copy`',
        },
      ),
    );
  }
}

export const baselinePointsRule: StudyRule = {
  name: 'baseline-points',
  reports: [Diagnostics.tooFewLinePoints],
  run: baselinePoints,
};
