import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { compatibleShapes, describeShape } from '../shapes.ts';
import type { StudyRule, StudyRuleContext } from './context.ts';

/** S4007: a shift whose sides hold inputs of different shapes (one model cannot read both). */
function shiftShape({ study, bound, report }: StudyRuleContext): void {
  for (const shift of study.shifts) {
    const declaration = bound.symbols.get(shift.name)!.declaration;
    const [from, to] = sideShapes(shift);
    if (declaration.kind === 'Shift' && from && to && !compatibleShapes(from, to)) {
      report(
        createDiagnostic(Diagnostics.shiftShapeMismatch, declaration.span, [
          shift.name,
          describeShape(from),
          describeShape(to),
        ]),
      );
    }
  }
}

/** The input shapes of a shift's two sides. */
export function sideShapes(shift: StudyRuleContext['study']['shifts'][number]) {
  return [shift.from.shape, shift.to.shape];
}

export const shiftShapeRule: StudyRule = {
  name: 'shift-shape',
  reports: [Diagnostics.shiftShapeMismatch],
  run: shiftShape,
};
