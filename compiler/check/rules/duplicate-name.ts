import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import type { RuleContext } from './context.ts';

/** S1002: one declaration per name. */
export function duplicateName({ bound, report }: RuleContext): void {
  for (const { original, duplicate } of bound.duplicates) {
    report(
      createDiagnostic(Diagnostics.duplicateName, duplicate.nameSpan, [duplicate.name], {
        hint: 'rename one of the two declarations',
        related: [{ message: `'${original.name}' is first declared here`, span: original.nameSpan }],
      }),
    );
  }
}
