import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import type { Reference } from '../../../grammar/ast.ts';
import { readChain } from '../values.ts';
import type { Rule, RuleContext } from './context.ts';
import { describeCycle, findCycles } from './cycles.ts';

/** S4009: distributions built on themselves (`distribution a = b | vflip`, `distribution b = a`). */
function distributionCycle(context: RuleContext): void {
  const rootOf = (name: string): Reference | undefined => {
    const binding = context.bound.symbols.get(name);
    return binding?.declaration.kind === 'Distribution' ? readChain(binding.declaration.value)?.root : undefined;
  };
  const distributions = [...context.bound.symbols.values()]
    .filter((binding) => binding.kind === 'distribution')
    .map((binding) => binding.name);
  for (const cycle of findCycles(distributions, (name) => rootOf(name)?.path[0]!.name)) {
    context.report(
      createDiagnostic(Diagnostics.distributionCycle, rootOf(cycle[0]!)!.span, [describeCycle(cycle)], {
        hint: 'start the chain from a data source',
      }),
    );
  }
}

export const distributionCycleRule: Rule = {
  name: 'distribution-cycle',
  reports: [Diagnostics.distributionCycle],
  run: distributionCycle,
};
