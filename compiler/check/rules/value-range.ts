import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import type { Rule, RuleContext } from './context.ts';

/** S3001: a number outside its attribute's range (`spurious 1.4`, `lr -1`, `folds 1`, `interval 120%`). */
function valueRange({ index, report }: RuleContext): void {
  for (const site of index.values) {
    for (const problem of site.reading.problems) {
      if (problem.kind === 'range') {
        report(
          createDiagnostic(Diagnostics.outOfRange, problem.span, [site.name, problem.constraint, problem.got], {
            hint: site.spec?.doc,
          }),
        );
      }
    }
  }
}

export const valueRangeRule: Rule = { name: 'value-range', reports: [Diagnostics.outOfRange], run: valueRange };
