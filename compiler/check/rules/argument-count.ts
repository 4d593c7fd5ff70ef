import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { acceptsArgumentCount, describeArity, describeSignature } from '../../../runtime/expect/functions.ts';
import { describeOwner } from '../sites.ts';
import type { Rule, RuleContext } from './context.ts';

/** S2005: more positional arguments than a builtin takes; an `expect` function called with the wrong count. */
function argumentCount({ index, report }: RuleContext): void {
  for (const application of index.applications) {
    const takes = application.positional.length;
    const extra = application.args[takes];
    if (!extra) continue;
    report(
      createDiagnostic(Diagnostics.wrongArgumentCount, extra.span, [
        describeOwner(application.owner),
        `${takes} argument${takes === 1 ? '' : 's'}`,
        application.args.length,
      ]),
    );
  }
  for (const { call, definition } of index.functions) {
    if (!definition || acceptsArgumentCount(definition, call.args.length)) continue;
    report(
      createDiagnostic(
        Diagnostics.wrongArgumentCount,
        call.span,
        [`function '${definition.name}'`, describeArity(definition), call.args.length],
        { hint: `call it as ${describeSignature(definition)}` },
      ),
    );
  }
}

export const argumentCountRule: Rule = {
  name: 'argument-count',
  reports: [Diagnostics.wrongArgumentCount],
  run: argumentCount,
};
