import type { Diagnostic, DiagnosticDefinition } from '../../diagnostics/index.ts';
import type { BoundStudy } from '../binder.ts';
import type { StudyIndex } from '../sites.ts';
import type { TypedStudy } from '../typed.ts';

/** What a rule over the bound (not yet typed) study sees. */
export interface RuleContext {
  bound: BoundStudy;
  index: StudyIndex;
  report(diagnostic: Diagnostic): void;
}

/** A rule that runs after the typed study is built (the study has no errors so far). */
export interface StudyRuleContext extends RuleContext {
  study: TypedStudy;
}

/**
 * One concern, with the codes it reports. Each code has exactly one reporting rule, and a rule reporting a
 * code it did not declare is a checker bug (`checkDocument` throws; test/check/rule-codes.test.ts checks both).
 */
export interface RuleDefinition<Context extends RuleContext> {
  name: string;
  reports: readonly DiagnosticDefinition[];
  run(context: Context): void;
}

export type Rule = RuleDefinition<RuleContext>;
export type StudyRule = RuleDefinition<StudyRuleContext>;
