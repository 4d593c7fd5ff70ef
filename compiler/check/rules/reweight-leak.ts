import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { spanOf } from '../lookup.ts';
import type { StudyRule, StudyRuleContext } from './context.ts';

/**
 * S5004 (warning): DFR (`reweight … on X.split`) fitted on the shifted side of a shift that a comparison of the arm
 * reports on: the refitted head then adapts to the target, which the paper's pattern (held-out reference data) avoids.
 */
function reweightLeak({ study, bound, report }: StudyRuleContext): void {
  const reported = new Set<string>();
  for (const compare of study.compares) {
    for (const arm of compare.arms) {
      const read = arm.reweight?.distribution;
      if (!read) continue;
      for (const { shift } of compare.shifts) {
        const key = `${arm.name} ${shift.name}`;
        if (shift.to !== read || shift.from === read || reported.has(key)) continue;
        reported.add(key);
        report(
          createDiagnostic(
            Diagnostics.reweightOnShiftedData,
            spanOf(bound.symbols.get(arm.name)!, 'reweight'),
            [`${read.name}.${arm.reweight!.split}`, shift.name],
            { hint: `fit it on held-out reference data instead: \`on ${shift.from.name}.val\`` },
          ),
        );
      }
    }
  }
}

export const reweightLeakRule: StudyRule = {
  name: 'reweight-leak',
  reports: [Diagnostics.reweightOnShiftedData],
  run: reweightLeak,
};
