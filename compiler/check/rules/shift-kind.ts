import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { compatibleShapes } from '../shapes.ts';
import type { StudyRule, StudyRuleContext } from './context.ts';
import { sideShapes } from './shift-shape.ts';

/** S5003 (warning): a declared shift kind the transforms contradict. */
function shiftKind({ study, bound, report }: StudyRuleContext): void {
  for (const shift of study.shifts) {
    const declaration = bound.symbols.get(shift.name)!.declaration;
    if (declaration.kind !== 'Shift' || shift.kind === shift.inferredKind) continue;
    // Sides of different shapes are already an error (shift-shape); their inferred kind means nothing.
    const [from, to] = sideShapes(shift);
    if (from && to && !compatibleShapes(from, to)) continue;
    report(
      createDiagnostic(
        Diagnostics.shiftKindContradicted,
        declaration.shiftKind.span,
        [shift.name, shift.kind, shift.inferredKind],
        {
          hint:
            shift.inferredKind === 'out_of_support'
              ? `'${shift.to}' shows inputs '${shift.from}' never shows; declare it out_of_support`
              : `'${shift.to}' shows nothing '${shift.from}' does not; declare it in_support`,
        },
      ),
    );
  }
}

export const shiftKindRule: StudyRule = {
  name: 'shift-kind',
  reports: [Diagnostics.shiftKindContradicted],
  run: shiftKind,
};
