import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { describeOwner } from '../sites.ts';
import { didYouMean } from '../suggest.ts';
import type { Rule, RuleContext } from './context.ts';

/** S2001: an attribute the block's schema does not have. */
function unknownAttribute({ index, report }: RuleContext): void {
  for (const application of index.applications) {
    const known = Object.keys(application.table);
    for (const attribute of application.attributes) {
      const name = attribute.name.name;
      if (name in application.table) continue;
      const hint =
        didYouMean(name, known) ??
        (known.length
          ? `known attributes: ${known.join(', ')}`
          : `${describeOwner(application.owner)} takes no attributes`);
      report(
        createDiagnostic(Diagnostics.unknownAttribute, attribute.name.span, [name, describeOwner(application.owner)], {
          hint,
        }),
      );
    }
  }
}

export const unknownAttributeRule: Rule = {
  name: 'unknown-attribute',
  reports: [Diagnostics.unknownAttribute],
  run: unknownAttribute,
};
