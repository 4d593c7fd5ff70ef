import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import type { Rule, RuleContext } from './context.ts';

/** S2004: the same attribute twice in one block (which one would win is not obvious). */
function duplicateAttribute({ index, report }: RuleContext): void {
  for (const application of index.applications) {
    const seen = new Map<string, (typeof application.attributes)[number]>();
    for (const attribute of application.attributes) {
      const first = seen.get(attribute.name.name);
      if (!first) {
        seen.set(attribute.name.name, attribute);
        continue;
      }
      report(
        createDiagnostic(Diagnostics.duplicateAttribute, attribute.name.span, [attribute.name.name], {
          hint: 'keep one of them',
          related: [{ message: 'first given here', span: first.name.span }],
        }),
      );
    }
  }
}

export const duplicateAttributeRule: Rule = {
  name: 'duplicate-attribute',
  reports: [Diagnostics.duplicateAttribute],
  run: duplicateAttribute,
};
