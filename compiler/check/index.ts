// The checker's entry points: parse → bind → rules → typed study.

import { parse, type Document } from '../../grammar/index.ts';
import { fromParseProblem, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/index.ts';
import { expandFamilies, nameMembers } from '../families/index.ts';
import { bind } from './binder.ts';
import { buildTypedStudy } from './build.ts';
import { baselinePoints } from './rules/baseline-points.ts';
import { checkpointEpochs } from './rules/checkpoint-epochs.ts';
import type { Rule, StudyRule } from './rules/context.ts';
import { duplicateAttribute } from './rules/duplicate-attribute.ts';
import { duplicateName } from './rules/duplicate-name.ts';
import { groupAttributes } from './rules/group-attributes.ts';
import { initCycle } from './rules/init-cycle.ts';
import { missingAttribute } from './rules/missing-attribute.ts';
import { initShape } from './rules/init-shape.ts';
import { modelFitsData } from './rules/model-fits-data.ts';
import { selectionLeak } from './rules/selection-leak.ts';
import { shiftKind } from './rules/shift-kind.ts';
import { unknownAttribute } from './rules/unknown-attribute.ts';
import { unknownName } from './rules/unknown-name.ts';
import { unknownResult } from './rules/unknown-result.ts';
import { unusedDeclaration } from './rules/unused-declaration.ts';
import { valueRange } from './rules/value-range.ts';
import { valueType } from './rules/value-type.ts';
import { indexStudy } from './sites.ts';
import type { TypedStudy } from './typed.ts';

export type { TypedStudy } from './typed.ts';

/** Rules over names and values; they run on any parsed study. */
export const rules: readonly Rule[] = [duplicateName, unknownName, unknownAttribute, duplicateAttribute, missingAttribute, valueType, valueRange, initCycle, unknownResult, unusedDeclaration];

/** Rules over the typed study; they run once the rules above found no errors. */
export const studyRules: readonly StudyRule[] = [modelFitsData, initShape, baselinePoints, checkpointEpochs, groupAttributes, selectionLeak, shiftKind];

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
  if (hasErrors(families.diagnostics)) return { document, diagnostics: sortDiagnostics(families.diagnostics), study: null };
  const diagnostics: Diagnostic[] = [];
  const report = (diagnostic: Diagnostic) => diagnostics.push(diagnostic);
  const bound = bind(families.document, families.document.study!);
  const index = indexStudy(bound);
  for (const rule of rules) rule({ bound, index, report });
  let study: TypedStudy | null = null;
  if (!hasErrors(diagnostics)) {
    const typed = buildTypedStudy(bound, index);
    for (const rule of studyRules) rule({ bound, index, report, study: typed });
    if (!hasErrors(diagnostics)) study = typed;
  }
  return { document, diagnostics: sortDiagnostics(nameMembers(diagnostics, families.members)), study };
}
