import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { spanOf } from '../lookup.ts';
import type { TypedDistribution } from '../typed.ts';
import type { StudyRule, StudyRuleContext } from './context.ts';

/** S4005: balanced_by / groups naming an attribute the data does not record. */
function groupAttributes({ study, bound, report }: StudyRuleContext): void {
  const check = (
    owner: string,
    attribute: string,
    data: TypedDistribution | undefined | null,
    names: string[] | null,
  ) => {
    if (!data || !names) return;
    for (const name of names) {
      if (data.attributes.includes(name)) continue;
      report(
        createDiagnostic(
          Diagnostics.missingGroupAttribute,
          spanOf(bound.symbols.get(owner)!, attribute),
          [data.name, name],
          { hint: `it carries: ${data.attributes.join(', ')}` },
        ),
      );
    }
  };
  for (const group of study.groups) {
    check(group.name, 'balanced_by', group.train, group.balancedBy);
    if (group.reweight) check(group.name, 'reweight', group.reweight.distribution, group.reweight.balancedBy);
    for (const transform of group.train?.transforms ?? []) {
      if (transform.spec.kind === 'balanced_by')
        check(group.name, 'train', group.train, transform.spec.params.attributes as string[]);
    }
  }
  for (const compare of study.compares) {
    if (bound.symbols.get(compare.name) && compare.groups)
      check(compare.name, 'groups', compare.baseline.train, compare.groups);
  }
  for (const expect of study.expects) {
    for (const call of expect.metrics) {
      const data = call.distribution;
      call.by?.items.forEach((item, position) => {
        const name = call.groups[position]!;
        if (data.attributes.includes(name)) return;
        report(
          createDiagnostic(Diagnostics.missingGroupAttribute, item.span, [data.name, name], {
            hint: `it carries: ${data.attributes.join(', ')}`,
          }),
        );
      });
    }
  }
}

export const groupAttributesRule: StudyRule = {
  name: 'group-attributes',
  reports: [Diagnostics.missingGroupAttribute],
  run: groupAttributes,
};
