import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { spanOf } from '../lookup.ts';
import type { StudyRule, StudyRuleContext } from './context.ts';

/** What only a training run reads: on an arm that only reweights its init these would be silently ignored. */
const TRAINING_ONLY = ['sweep', 'objective'] as const;

/** S4018: `objective` or `sweep` on an arm without `train`. */
function trainingOnly({ study, bound, report }: StudyRuleContext): void {
  for (const group of study.groups) {
    if (group.train) continue;
    const binding = bound.symbols.get(group.name)!;
    for (const attribute of TRAINING_ONLY) {
      if (group[attribute] === null) continue;
      report(
        createDiagnostic(Diagnostics.trainingOnlyAttribute, spanOf(binding, attribute), [group.name, attribute], {
          hint: 'add `train …` and `recipe …`, or remove it',
        }),
      );
    }
  }
}

export const trainingOnlyRule: StudyRule = {
  name: 'training-only',
  reports: [Diagnostics.trainingOnlyAttribute],
  run: trainingOnly,
};
