import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { withArticle } from '../binder.ts';
import { didYouMean } from '../suggest.ts';
import { SPLIT_NAMES } from '../values.ts';
import type { Rule, RuleContext } from './context.ts';

/** S1001 unknown name, S1003 a name of the wrong kind, S1004 unknown builtin, S1005 unknown split. */
function unknownName({ bound, index, report }: RuleContext): void {
  for (const { reference, kinds } of index.names) {
    const identifier = reference.path[0]!;
    const binding = bound.symbols.get(identifier.name);
    if (!binding) {
      const candidates = [...bound.symbols.values()].filter((b) => kinds.includes(b.kind)).map((b) => b.name);
      const hint = didYouMean(identifier.name, candidates);
      report(createDiagnostic(Diagnostics.unknownName, identifier.span, [identifier.name], hint ? { hint } : {}));
    } else if (!kinds.includes(binding.kind)) {
      const expected = kinds.map(withArticle).join(' or ');
      report(createDiagnostic(Diagnostics.wrongKindOfName, identifier.span, [identifier.name, binding.kind, expected]));
    }
  }
  for (const { family, name, known } of index.builtins) {
    if (known.includes(name.name)) continue;
    const hint = didYouMean(name.name, known) ?? `known: ${known.join(', ')}`;
    report(createDiagnostic(Diagnostics.unknownBuiltin, name.span, [family, name.name], { hint }));
  }
  for (const site of index.values) {
    for (const problem of site.reading.problems) {
      if (problem.kind !== 'split') continue;
      const hint = didYouMean(problem.name, problem.known ?? SPLIT_NAMES);
      report(createDiagnostic(Diagnostics.unknownSplit, problem.span, [problem.name], hint ? { hint } : {}));
    }
  }
}

export const unknownNameRule: Rule = {
  name: 'unknown-name',
  reports: [Diagnostics.unknownName, Diagnostics.wrongKindOfName, Diagnostics.unknownBuiltin, Diagnostics.unknownSplit],
  run: unknownName,
};
