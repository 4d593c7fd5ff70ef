import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import type { Reference } from '../../../grammar/ast.ts';
import { initOf } from '../lookup.ts';
import { readChain } from '../values.ts';
import type { RuleContext } from './context.ts';

/** S4001: arms whose `init` chain comes back to itself (`arm a { init b }`, `arm b { init a }`),
 *  and distributions built on themselves (`distribution a = b | vflip`, `distribution b = a`). */
export function initCycle(context: RuleContext): void {
  distributionCycles(context);
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

function distributionCycles(context: RuleContext): void {
  const reported = new Set<string>();
  const rootOf = (name: string): Reference | undefined => {
    const binding = context.bound.symbols.get(name);
    return binding?.declaration.kind === 'Distribution' ? readChain(binding.declaration.value)?.root : undefined;
  };
  for (const start of context.bound.symbols.values()) {
    if (start.kind !== 'distribution' || reported.has(start.name)) continue;
    const path: string[] = [];
    let current: string | undefined = start.name;
    while (current !== undefined && !path.includes(current)) {
      path.push(current);
      current = rootOf(current)?.path[0]!.name;
    }
    if (current !== start.name) continue;
    path.forEach((name) => reported.add(name));
    context.report(createDiagnostic(Diagnostics.initCycle, rootOf(start.name)!.span, [[...path, start.name].join(' → ')], { hint: 'start the chain from a data source' }));
  }
}
