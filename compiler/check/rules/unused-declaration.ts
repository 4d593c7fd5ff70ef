import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import type { Rule, RuleContext } from './context.ts';
import { referencesIn } from '../../../grammar/visitor.ts';

/** S5001 (warning): a declaration nothing refers to. A compare is an output, so it is never unused. */
function unusedDeclaration({ bound, index, report }: RuleContext): void {
  const used = new Set(index.names.map((use) => use.reference.path[0]!.name));
  for (const expect of bound.expects)
    for (const reference of referencesIn(expect.expression)) used.add(reference.path[0]!.name);
  for (const binding of bound.symbols.values()) {
    if (binding.kind === 'compare' || used.has(binding.name)) continue;
    report(
      createDiagnostic(Diagnostics.unusedDeclaration, binding.nameSpan, [binding.kind, binding.name], {
        hint: 'use it or remove it',
      }),
    );
  }
}

export const unusedDeclarationRule: Rule = {
  name: 'unused-declaration',
  reports: [Diagnostics.unusedDeclaration],
  run: unusedDeclaration,
};
