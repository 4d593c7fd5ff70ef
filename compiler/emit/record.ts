// Records the StudyBuilder calls a plan is made of. The planner drives the builder from a checked study;
// the emitter writes those same calls out as code, so a compiled script cannot drift from `planStudy`:
// it replays exactly what the planner did, argument for argument.
import type { Plan } from '../../runtime/plan.ts';
import { StudyBuilder } from '../../runtime/study/builder.ts';

/** The builder's public, declaration-level methods (each is one section of a compiled script). */
export const BUILDER_METHODS = ['data', 'distribution', 'pretrain', 'baseline', 'arm', 'supportSplit', 'compare', 'expect'] as const;
export type BuilderMethod = (typeof BUILDER_METHODS)[number];

export interface BuilderCall {
  method: BuilderMethod;
  /** The arguments as passed (handles are the very objects earlier calls returned). */
  args: readonly unknown[];
  /** The handle returned (undefined for `expect`). */
  result: unknown;
}

export interface Recording {
  plan: Plan;
  calls: BuilderCall[];
}

/**
 * Runs `makePlan` (which builds with a StudyBuilder, e.g. `() => planStudy(typed, source)`) and records
 * every builder call it makes. The methods are wrapped on the prototype only for the duration of this
 * synchronous call, so no other builder is affected.
 */
export function recordBuilderCalls(makePlan: () => Plan): Recording {
  const calls: BuilderCall[] = [];
  const prototype = StudyBuilder.prototype as unknown as Record<BuilderMethod, (...args: unknown[]) => unknown>;
  const originals = BUILDER_METHODS.map((method) => [method, prototype[method]] as const);
  for (const [method, original] of originals) {
    prototype[method] = function (this: StudyBuilder, ...args: unknown[]) {
      const result = original.apply(this, args);
      calls.push({ method, args, result });
      return result;
    };
  }
  try {
    return { plan: makePlan(), calls };
  } finally {
    for (const [method, original] of originals) prototype[method] = original;
  }
}
