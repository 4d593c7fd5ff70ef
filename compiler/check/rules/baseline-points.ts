import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { spanOf } from '../lookup.ts';
import type { StudyRule, StudyRuleContext } from './context.ts';

/** S4004: a baseline needs ≥ 3 (checkpoint × copy) points to fit a line with an interval. */
function baselinePoints({ study, bound, report }: StudyRuleContext): void {
  for (const group of study.groups) {
    if (group.role !== 'baseline') continue;
    const points = group.checkpoints.length * group.copies;
    if (points >= 3) continue;
    report(
      createDiagnostic(
        Diagnostics.tooFewLinePoints,
        spanOf(bound.symbols.get(group.name)!, 'checkpoints'),
        [group.name, points],
        {
          hint: 'evaluate more checkpoints (`checkpoints 2..8`) or train more `copies`',
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
