import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { compatibleShapes, describeShape } from '../shapes.ts';
import type { StudyRuleContext } from './context.ts';

/** S5003 (warning): a declared shift kind the transforms contradict; S4007: sides of different shapes. */
export function shiftKind({ study, bound, report }: StudyRuleContext): void {
  for (const shift of study.shifts) {
    const declaration = bound.symbols.get(shift.name)!.declaration;
    if (declaration.kind !== 'Shift') continue;
    const [from, to] = [shift.from.shape, shift.to.shape];
    if (!compatibleShapes(from, to)) {
      report(createDiagnostic(Diagnostics.shiftShapeMismatch, declaration.span, [shift.name, describeShape(from), describeShape(to)]));
      continue;
    }
    if (shift.kind !== shift.inferredKind) {
      report(
        createDiagnostic(Diagnostics.shiftKindContradicted, declaration.shiftKind.span, [shift.name, shift.kind, shift.inferredKind], {
          hint:
            shift.inferredKind === 'out_of_support'
              ? `'${shift.to.name}' shows inputs '${shift.from.name}' never shows; declare it out_of_support`
              : `'${shift.to.name}' shows nothing '${shift.from.name}' does not; declare it in_support`,
        }),
      );
    }
  }
}
