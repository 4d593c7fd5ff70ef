import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { didYouMean } from '../suggest.ts';
import type { RuleContext } from './context.ts';

/** S2001: an attribute the block's schema does not have. */
export function unknownAttribute({ index, report }: RuleContext): void {
  for (const application of index.applications) {
    const known = Object.keys(application.table);
    for (const attribute of application.attributes) {
      const name = attribute.name.name;
      if (name in application.table) continue;
      const hint = didYouMean(name, known) ?? (known.length ? `known attributes: ${known.join(', ')}` : `${application.owner} takes no attributes`);
      report(createDiagnostic(Diagnostics.unknownAttribute, attribute.name.span, [name, application.owner], { hint }));
    }
  }
}
