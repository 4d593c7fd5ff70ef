import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import type { RuleContext } from './context.ts';

/** S2003: a required attribute or argument that is absent; S2002 for extra positional arguments. */
export function missingAttribute({ index, report }: RuleContext): void {
  for (const application of index.applications) {
    const present = new Set(application.attributes.map((a) => a.name.name));
    const [kind, name] = splitOwner(application.owner);
    for (const [attribute, spec] of Object.entries(application.table)) {
      if (spec.required && !present.has(attribute)) {
        report(createDiagnostic(Diagnostics.missingAttribute, application.anchor, [kind, name, attribute], { hint: `add \`${attribute} ...\`: ${spec.doc}` }));
      }
    }
    application.positional.forEach((position, i) => {
      if (position.required && !application.args[i]) {
        report(createDiagnostic(Diagnostics.missingAttribute, application.anchor, [kind, name, position.name]));
      }
    });
    for (const extra of application.args.slice(application.positional.length)) {
      report(createDiagnostic(Diagnostics.wrongValueType, extra.span, [name, `${application.positional.length} argument(s)`]));
    }
  }
}

function splitOwner(owner: string): [string, string] {
  const match = /^(.*) '(.*)'$/.exec(owner);
  return match ? [match[1]!, match[2]!] : [owner, ''];
}
