import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { referencesIn } from '../../../grammar/visitor.ts';
import { valueOf } from '../lookup.ts';
import { TRAINED_MODEL_KINDS } from '../sites.ts';
import { closest } from '../suggest.ts';
import type { TargetReading } from '../values.ts';
import type { Rule, RuleContext } from './context.ts';

/**
 * S4006: a number in an `expect` (not a metric's argument) that is not `compare.arm.shift` (or
 * `compare.arm.split.part`) of some compare.
 */
function unknownResult(context: RuleContext): void {
  const results = comparisonResults(context);
  for (const expect of context.bound.expects) {
    for (const reference of referencesIn(expect.expression)) {
      if (!context.index.resultReferences.has(reference)) continue;
      const path = reference.path.map((p) => p.name).join('.');
      if (results.has(path)) continue;
      const suggestion = closest(path, results);
      const head = context.bound.symbols.get(reference.path[0]!.name);
      const trained = head && (TRAINED_MODEL_KINDS as readonly string[]).includes(head.kind);
      const hint = trained
        ? `${head.kind} '${head.name}' is a model: measure it, e.g. accuracy(${head.name}, DISTRIBUTION.test)`
        : suggestion
          ? `did you mean '${suggestion}'?`
          : results.size
            ? `results are named like '${[...results][0]}'`
            : 'declare a compare first';
      context.report(createDiagnostic(Diagnostics.unknownResult, reference.span, [path], { hint }));
    }
  }
}

/** Every `compare.arm.target` the study's comparisons produce. */
export function comparisonResults(context: RuleContext): Set<string> {
  const results = new Set<string>();
  for (const binding of context.bound.symbols.values()) {
    if (binding.kind !== 'compare') continue;
    const arms = valueOf(context, binding, 'arms');
    const targets = valueOf(context, binding, 'shifts');
    if (!Array.isArray(arms) || !Array.isArray(targets)) continue;
    for (const arm of arms as string[]) {
      for (const target of targets as TargetReading[]) results.add([binding.name, arm, ...target.path].join('.'));
    }
  }
  return results;
}

export const unknownResultRule: Rule = {
  name: 'unknown-result',
  reports: [Diagnostics.unknownResult],
  run: unknownResult,
};
