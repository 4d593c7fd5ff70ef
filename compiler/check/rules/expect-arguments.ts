import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { printExpression } from '../../format/expression.ts';
import { ARGUMENT_KIND_WORDS } from '../sites.ts';
import type { Rule, RuleContext } from './context.ts';

/** S2017: a metric's model or split argument of the wrong kind; S2018: `by [..]` on a function without groups. */
function expectArguments({ index, report }: RuleContext): void {
  for (const problem of index.argumentProblems) {
    const example = `${problem.call.callee.name}(ft, reference.test)`;
    report(
      createDiagnostic(
        Diagnostics.wrongArgumentKind,
        problem.span,
        [problem.name, problem.call.callee.name, ARGUMENT_KIND_WORDS[problem.kind]],
        { hint: `a metric is measured on a model and a split, e.g. ${example}` },
      ),
    );
  }
  for (const { call, definition } of index.functions) {
    if (!definition || definition.groups || !call.by) continue;
    const without = printExpression({ ...call, by: undefined });
    report(
      createDiagnostic(Diagnostics.unexpectedGroups, call.by.span, [definition.name], {
        hint: definition.metric ? `write ${without}` : `remove the groups`,
      }),
    );
  }
}

export const expectArgumentsRule: Rule = {
  name: 'expect-arguments',
  reports: [Diagnostics.wrongArgumentKind, Diagnostics.unexpectedGroups],
  run: expectArguments,
};
