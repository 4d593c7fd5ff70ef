import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { initOf } from '../lookup.ts';
import type { Rule, RuleContext } from './context.ts';
import { describeCycle, findCycles } from './cycles.ts';

/** S4001: arms whose `init` chain comes back to itself (`arm a { init b }`, `arm b { init a }`). */
function initCycle(context: RuleContext): void {
  const arms = new Map(
    [...context.bound.symbols.values()]
      .filter((binding) => binding.kind === 'arm')
      .map((binding) => [binding.name, binding]),
  );
  // Only arms continue a chain: an init naming a pretrain or baseline ends it.
  const next = (name: string) => {
    const arm = arms.get(name);
    return arm && initOf(context, arm)?.name;
  };
  for (const cycle of findCycles(arms.keys(), next)) {
    const init = initOf(context, arms.get(cycle[0]!)!)!;
    context.report(
      createDiagnostic(Diagnostics.initCycle, init.span, [describeCycle(cycle)], {
        hint: 'start one of these arms from a pretrain or a baseline instead',
      }),
    );
  }
}

export const initCycleRule: Rule = { name: 'init-cycle', reports: [Diagnostics.initCycle], run: initCycle };
