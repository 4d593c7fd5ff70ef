import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { spanOf } from '../lookup.ts';
import { compatibleShapes, describeShape } from '../shapes.ts';
import { initName, trainedOn } from '../lookup.ts';
import type { StudyRule, StudyRuleContext } from './context.ts';

/** S4008: a group that starts from weights trained on inputs of another shape than it trains on. */
function initShape({ study, bound, report }: StudyRuleContext): void {
  for (const group of study.groups) {
    if (!group.init || !group.train) continue;
    const initData = trainedOn(group.init);
    if (!initData || compatibleShapes(initData.shape, group.train.shape)) continue;
    report(
      createDiagnostic(
        Diagnostics.initShapeMismatch,
        spanOf(bound.symbols.get(group.name)!, 'init'),
        [
          group.name,
          initName(group.init),
          describeShape(initData.shape),
          group.train.name,
          describeShape(group.train.shape),
        ],
        {
          hint: 'pre-train on inputs of the same shape (a tint makes grey images 3-channel: e.g. `| augment { tint 0.5 }`)',
        },
      ),
    );
  }
}

export const initShapeRule: StudyRule = {
  name: 'init-shape',
  reports: [Diagnostics.initShapeMismatch],
  run: initShape,
};
