import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import type { Rule, RuleContext } from './context.ts';

/** S1002: one declaration per name. */
function duplicateName({ bound, report }: RuleContext): void {
  for (const { original, duplicate } of bound.duplicates) {
    report(
      createDiagnostic(Diagnostics.duplicateName, duplicate.nameSpan, [duplicate.name], {
        hint: 'rename one of the two declarations',
        related: [{ message: `'${original.name}' is first declared here`, span: original.nameSpan }],
      }),
    );
  }
}

export const duplicateNameRule: Rule = {
  name: 'duplicate-name',
  reports: [Diagnostics.duplicateName],
  run: duplicateName,
};
