import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import type { Rule, RuleContext } from './context.ts';

/** S2002: a value of the wrong shape for its attribute. */
function valueType({ index, report }: RuleContext): void {
  for (const site of index.values) {
    for (const problem of site.reading.problems) {
      if (problem.kind === 'type')
        report(
          createDiagnostic(Diagnostics.wrongValueType, problem.span, [site.name, problem.expected], {
            hint: site.spec?.doc,
          }),
        );
    }
  }
}

export const valueTypeRule: Rule = { name: 'value-type', reports: [Diagnostics.wrongValueType], run: valueType };
