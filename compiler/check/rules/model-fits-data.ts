import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { architectures } from '../builtins.ts';
import { initName, spanOf, trainedOn } from '../lookup.ts';
import { describeShape } from '../shapes.ts';
import type { TypedDistribution, TypedModel } from '../typed.ts';
import type { StudyRule, StudyRuleContext } from './context.ts';

/** S4002: an image model on vector data; S4003: a kept head whose class count differs from the data. */
function modelFitsData(context: StudyRuleContext): void {
  const { study, bound, report } = context;
  const check = (owner: string, model: TypedModel, data: TypedDistribution | null, attribute: string) => {
    if (!data) return;
    if (architectures[model.spec.kind]!.input === 'image' && data.shape.kind === 'vector') {
      report(
        createDiagnostic(
          Diagnostics.inputShapeMismatch,
          spanOf(bound.symbols.get(owner)!, attribute),
          [model.name, model.spec.kind, describeShape(data.shape), data.name],
          {
            hint: 'use `mlp` for vector data',
          },
        ),
      );
    }
  };
  for (const pretrain of study.pretrains) check(pretrain.name, pretrain.model, pretrain.data, 'data');
  for (const group of study.groups) {
    check(group.name, group.model, group.train, 'train');
    if (group.head !== 'keep' || !group.init || !group.train) continue;
    const initClasses = trainedOn(group.init)?.classes;
    if (initClasses && group.train.classes && initClasses !== group.train.classes) {
      report(
        createDiagnostic(
          Diagnostics.classCountMismatch,
          spanOf(bound.symbols.get(group.name)!, 'head'),
          [`the kept head of '${initName(group.init)}'`, initClasses, `'${group.train.name}'`, group.train.classes],
          {
            hint: 'use `head new`',
          },
        ),
      );
    }
  }
  for (const shift of study.shifts) {
    const { from, to } = shift;
    if (from.classes && to.classes && from.classes !== to.classes) {
      report(
        createDiagnostic(Diagnostics.classCountMismatch, shift.span, [
          `'${from.name}'`,
          from.classes,
          `'${to.name}'`,
          to.classes,
        ]),
      );
    }
  }
}

export const modelFitsDataRule: StudyRule = {
  name: 'model-fits-data',
  reports: [Diagnostics.inputShapeMismatch, Diagnostics.classCountMismatch],
  run: modelFitsData,
};
