import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { describeOwner } from '../sites.ts';
import type { Rule, RuleContext } from './context.ts';

/** S2003: a required attribute or positional argument that is absent (extra arguments are argument-count's). */
function missingAttribute({ index, report }: RuleContext): void {
  for (const application of index.applications) {
    const present = new Set(application.attributes.map((a) => a.name.name));
    const owner = describeOwner(application.owner);
    for (const [attribute, spec] of Object.entries(application.table)) {
      if (spec.required && !present.has(attribute)) {
        report(
          createDiagnostic(Diagnostics.missingAttribute, application.anchor, [owner, attribute], {
            hint: `add \`${attribute} ...\`: ${spec.doc}`,
          }),
        );
      }
    }
    application.positional.forEach((position, i) => {
      if (position.required && !application.args[i])
        report(createDiagnostic(Diagnostics.missingAttribute, application.anchor, [owner, position.name]));
    });
  }
}

export const missingAttributeRule: Rule = {
  name: 'missing-attribute',
  reports: [Diagnostics.missingAttribute],
  run: missingAttribute,
};
