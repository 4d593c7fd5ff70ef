import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { spanOf } from '../lookup.ts';
import type { StudyRule, StudyRuleContext } from './context.ts';

/** S3002: a checkpoint after the recipe's last epoch does not exist. */
function checkpointEpochs({ study, bound, report }: StudyRuleContext): void {
  for (const group of study.groups) {
    const last = group.recipe?.epochs;
    const beyond = last === undefined ? undefined : group.checkpoints.find((epoch) => epoch > last);
    if (beyond === undefined) continue;
    report(
      createDiagnostic(
        Diagnostics.checkpointBeyondEpochs,
        spanOf(bound.symbols.get(group.name)!, 'checkpoints'),
        [beyond, last!],
        { hint: `raise the recipe's epochs or stop the range at ${last}` },
      ),
    );
  }
}

export const checkpointEpochsRule: StudyRule = {
  name: 'checkpoint-epochs',
  reports: [Diagnostics.checkpointBeyondEpochs],
  run: checkpointEpochs,
};
