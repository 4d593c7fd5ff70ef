import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { spanOf, valueOf } from '../lookup.ts';
import type { SplitRefReading } from '../values.ts';
import type { StudyRule, StudyRuleContext } from './context.ts';

/** S4019: a split's `source` must be a split of its shift's reference side (only the split is taken from it). */
function splitSource({ study, bound, index, report }: StudyRuleContext): void {
  for (const split of study.splits) {
    const binding = bound.symbols.get(split.name)!;
    const source = valueOf({ index }, binding, 'source') as SplitRefReading | undefined;
    const reference = split.shift.from.name;
    if (!source || source.distribution === reference) continue;
    report(
      createDiagnostic(
        Diagnostics.splitSourceElsewhere,
        spanOf(binding, 'source'),
        [split.name, source.distribution, reference],
        { hint: `draw it from another split of the reference: \`source ${reference}.train\`` },
      ),
    );
  }
}

export const splitSourceRule: StudyRule = {
  name: 'split-source',
  reports: [Diagnostics.splitSourceElsewhere],
  run: splitSource,
};
