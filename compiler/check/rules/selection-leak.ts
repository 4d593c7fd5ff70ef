import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { spanOf } from '../lookup.ts';
import type { StudyRule, StudyRuleContext } from './context.ts';

/** S5002 (warning): model selection (sweep … select … on X) that reads the shifted side of a shift. */
function selectionLeak({ study, bound, report }: StudyRuleContext): void {
  for (const group of study.groups) {
    if (!group.sweep) continue;
    const read = group.sweep.select.distribution;
    const shift = study.shifts.find((s) => s.to === read && s.from !== read);
    if (!shift) continue;
    report(
      createDiagnostic(
        Diagnostics.selectionOnShiftedData,
        spanOf(bound.symbols.get(group.name)!, 'sweep'),
        [`${read.name}.${group.sweep.select.split}`, shift.name],
        {
          hint: `select on the reference side instead: \`on ${shift.from.name}.val\``,
        },
      ),
    );
  }
}

export const selectionLeakRule: StudyRule = {
  name: 'selection-leak',
  reports: [Diagnostics.selectionOnShiftedData],
  run: selectionLeak,
};
