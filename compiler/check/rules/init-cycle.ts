import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { initOf } from '../lookup.ts';
import type { RuleContext } from './context.ts';

/** S4001: arms whose `init` chain comes back to itself (`arm a { init b }`, `arm b { init a }`). */
export function initCycle(context: RuleContext): void {
  const reported = new Set<string>();
  for (const start of context.bound.symbols.values()) {
    if (start.kind !== 'arm' || reported.has(start.name)) continue;
    const path: string[] = [];
    let current: string | undefined = start.name;
    while (current !== undefined && !path.includes(current)) {
      path.push(current);
      const binding = context.bound.symbols.get(current);
      current = binding && binding.kind === 'arm' ? initOf(context, binding)?.name : undefined;
    }
    if (current !== start.name) continue;
    path.forEach((name) => reported.add(name));
    const init = initOf(context, start)!;
    context.report(
      createDiagnostic(Diagnostics.initCycle, init.span, [[...path, start.name].join(' → ')], {
        hint: 'start one of these arms from a pretrain or a baseline instead',
      }),
    );
  }
}
