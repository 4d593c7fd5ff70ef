import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { compatibleShapes, describeShape } from '../shapes.ts';
import type { StudyRule, StudyRuleContext } from './context.ts';

/** S4007: a shift whose sides hold inputs of different shapes (one model cannot read both). */
function shiftShape({ study, bound, report }: StudyRuleContext): void {
  for (const shift of study.shifts) {
    const declaration = bound.symbols.get(shift.name)!.declaration;
    const [from, to] = sideShapes(study, shift);
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

/** The input shapes of a shift's two sides (a side may be a distribution or a bare data source). */
export function sideShapes(study: StudyRuleContext['study'], shift: StudyRuleContext['study']['shifts'][number]) {
  return [shift.from, shift.to].map(
    (name) => study.distributions.find((d) => d.name === name)?.shape ?? study.data.find((d) => d.name === name)?.shape,
  );
}

export const shiftShapeRule: StudyRule = {
  name: 'shift-shape',
  reports: [Diagnostics.shiftShapeMismatch],
  run: shiftShape,
};
