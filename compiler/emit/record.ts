// Records the StudyBuilder calls a plan is made of. The planner drives the builder from a checked study;
// the emitter writes those same calls out as code, so a compiled script cannot drift from `planStudy`:
// it replays exactly what the planner did, argument for argument.
import type { Plan } from '../../runtime/plan.ts';
import type { StudyBuilder } from '../../runtime/study/builder.ts';

/** The builder's public, declaration-level methods (each is one section of a compiled script). */
export const BUILDER_METHODS = [
  'data',
  'distribution',
  'backbone',
  'pretrain',
  'baseline',
  'arm',
  'supportSplit',
  'compare',
  'expect',
] as const;
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
 * Records every declaration-level call made on `builder` while `build` runs, by shadowing the methods on
 * this one instance (the class and every other builder are untouched).
 */
export function recordBuilderCalls(builder: StudyBuilder, build: (builder: StudyBuilder) => Plan): Recording {
  const calls: BuilderCall[] = [];
  const methods = builder as unknown as Record<BuilderMethod, (...args: unknown[]) => unknown>;
  for (const method of BUILDER_METHODS) {
    const original = methods[method].bind(builder);
    methods[method] = (...args: unknown[]) => {
      const result = original(...args);
      calls.push({ method, args, result });
      return result;
    };
  }
  return { plan: build(builder), calls };
}
