import type { Diagnostic } from '../../diagnostics/index.ts';
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

export type Rule = (context: RuleContext) => void;
export type StudyRule = (context: StudyRuleContext) => void;
