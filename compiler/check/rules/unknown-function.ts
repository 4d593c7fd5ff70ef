import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { expectFunctions } from '../../../runtime/expect/functions.ts';
import { didYouMean } from '../suggest.ts';
import type { Rule, RuleContext } from './context.ts';

/** S1006: a function in an `expect` claim that the runtime's function table does not have. */
function unknownFunction({ index, report }: RuleContext): void {
  const known = Object.keys(expectFunctions);
  for (const { call, definition } of index.functions) {
    if (definition) continue;
    const hint = didYouMean(call.callee.name, known) ?? `known functions: ${known.join(', ')}`;
    report(createDiagnostic(Diagnostics.unknownFunction, call.callee.span, [call.callee.name], { hint }));
  }
}

export const unknownFunctionRule: Rule = {
  name: 'unknown-function',
  reports: [Diagnostics.unknownFunction],
  run: unknownFunction,
};
