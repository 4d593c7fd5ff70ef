// The checker's entry points: parse → bind → rules → typed study.

import { parse, type Document } from '../../grammar/index.ts';
import { fromParseProblem, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/index.ts';
import { expandFamilies, nameMembers } from '../families/index.ts';
import { bind } from './binder.ts';
import { buildTypedStudy } from './build.ts';
import { argumentCountRule } from './rules/argument-count.ts';
import { baselinePointsRule } from './rules/baseline-points.ts';
import { checkpointEpochsRule } from './rules/checkpoint-epochs.ts';
import type { Rule, RuleContext, RuleDefinition, StudyRule } from './rules/context.ts';
import { distributionCycleRule } from './rules/distribution-cycle.ts';
import { duplicateAttributeRule } from './rules/duplicate-attribute.ts';
import { duplicateNameRule } from './rules/duplicate-name.ts';
import { frozenBackboneRule } from './rules/frozen-backbone.ts';
import { expectArgumentsRule } from './rules/expect-arguments.ts';
import { groupAttributesRule } from './rules/group-attributes.ts';
import { initCycleRule } from './rules/init-cycle.ts';
import { initShapeRule } from './rules/init-shape.ts';
import { inputFilesRule } from './rules/input-files.ts';
import { missingAttributeRule } from './rules/missing-attribute.ts';
import { modelFitsDataRule } from './rules/model-fits-data.ts';
import { reweightLeakRule } from './rules/reweight-leak.ts';
import { selectionLeakRule } from './rules/selection-leak.ts';
import { splitSourceRule } from './rules/split-source.ts';
import { trainingOnlyRule } from './rules/training-only.ts';
import { shiftKindRule } from './rules/shift-kind.ts';
import { shiftShapeRule } from './rules/shift-shape.ts';
import { unknownAttributeRule } from './rules/unknown-attribute.ts';
import { unknownFunctionRule } from './rules/unknown-function.ts';
import { unknownNameRule } from './rules/unknown-name.ts';
import { unknownResultRule } from './rules/unknown-result.ts';
import { unusedDeclarationRule } from './rules/unused-declaration.ts';
import { valueRangeRule } from './rules/value-range.ts';
import { valueTypeRule } from './rules/value-type.ts';
import { indexStudy } from './sites.ts';
import type { TypedStudy } from './typed.ts';

export type { TypedStudy } from './typed.ts';

/** Rules over names and values; they run on any parsed study. */
export const rules: readonly Rule[] = [
  duplicateNameRule,
  unknownNameRule,
  unknownFunctionRule,
  unknownAttributeRule,
  duplicateAttributeRule,
  missingAttributeRule,
  argumentCountRule,
  expectArgumentsRule,
  valueTypeRule,
  valueRangeRule,
  initCycleRule,
  distributionCycleRule,
  unknownResultRule,
  unusedDeclarationRule,
  inputFilesRule,
];

/** Rules over the typed study; they run once the rules above found no errors. */
export const studyRules: readonly StudyRule[] = [
  modelFitsDataRule,
  frozenBackboneRule,
  initShapeRule,
  baselinePointsRule,
  checkpointEpochsRule,
  groupAttributesRule,
  selectionLeakRule,
  reweightLeakRule,
  trainingOnlyRule,
  splitSourceRule,
  shiftShapeRule,
  shiftKindRule,
];

export interface CheckResult {
  document: Document;
  diagnostics: Diagnostic[];
  /** Null when there is any error. */
  study: TypedStudy | null;
}

export function checkSource(source: string, file: string): CheckResult {
  const { document, problems } = parse(source, file);
  const syntax = problems.map(fromParseProblem);
  // Name and type rules on a partial tree would mostly echo the syntax errors; report those alone.
  if (syntax.length) return { document, diagnostics: sortDiagnostics(syntax), study: null };
  return checkDocument(document);
}

export function checkDocument(document: Document): CheckResult {
  if (!document.study) return { document, diagnostics: [], study: null };
  // Families become member declarations first; the rules below then run on each member.
  const families = expandFamilies(document);
  if (hasErrors(families.diagnostics))
    return { document, diagnostics: sortDiagnostics(families.diagnostics), study: null };
  const diagnostics: Diagnostic[] = [];
  const report = (diagnostic: Diagnostic) => diagnostics.push(diagnostic);
  const bound = bind(families.document, families.document.study!);
  const index = indexStudy(bound);
  for (const rule of rules) runRule(rule, { bound, index, report });
  let study: TypedStudy | null = null;
  if (!hasErrors(diagnostics)) {
    const typed = buildTypedStudy(bound, index);
    for (const rule of studyRules) runRule(rule, { bound, index, report, study: typed });
    if (!hasErrors(diagnostics)) study = typed;
  }
  return { document, diagnostics: sortDiagnostics(nameMembers(diagnostics, families.members)), study };
}

/** Runs a rule, holding it to the codes it declares (another code is a checker bug, not a user error). */
function runRule<Context extends RuleContext>(rule: RuleDefinition<Context>, context: Context): void {
  const codes = new Set(rule.reports.map((definition) => definition.code));
  rule.run({
    ...context,
    report: (diagnostic) => {
      if (!codes.has(diagnostic.code))
        throw new Error(`rule ${rule.name} reported ${diagnostic.code}, which it does not declare`);
      context.report(diagnostic);
    },
  });
}
