import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { architectures } from '../builtins.ts';
import { spanOf } from '../lookup.ts';
import { describeShape } from '../shapes.ts';
import type { TypedDistribution } from '../typed.ts';
import type { StudyRule, StudyRuleContext } from './context.ts';

/** S4002: an image model on vector data; S4003: a kept head whose class count differs from the data. */
function modelFitsData(context: StudyRuleContext): void {
  const { study, bound, report } = context;
  const check = (owner: string, modelName: string, data: TypedDistribution | null, attribute: string) => {
    const model = study.models.find((m) => m.name === modelName);
    if (!model || !data) return;
    if (architectures[model.spec.architecture]!.input === 'image' && data.shape.kind === 'vector') {
      report(
        createDiagnostic(
          Diagnostics.inputShapeMismatch,
          spanOf(bound.symbols.get(owner)!, attribute),
          [model.name, model.spec.architecture, describeShape(data.shape), data.name],
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
    const initClasses =
      group.init.kind === 'pretrain'
        ? study.pretrains.find((p) => p.name === group.init!.name)?.data.classes
        : study.groups.find((g) => g.name === group.init!.name)?.train?.classes;
    if (initClasses && group.train.classes && initClasses !== group.train.classes) {
      report(
        createDiagnostic(
          Diagnostics.classCountMismatch,
          spanOf(bound.symbols.get(group.name)!, 'head'),
          [`the kept head of '${group.init.name}'`, initClasses, `'${group.train.name}'`, group.train.classes],
          {
            hint: 'use `head new`',
          },
        ),
      );
    }
  }
  for (const shift of study.shifts) {
    const [from, to] = [shift.from, shift.to].map(
      (n) => study.distributions.find((d) => d.name === n) ?? study.data.find((d) => d.name === n),
    );
    if (from && to && from.classes && to.classes && from.classes !== to.classes) {
      report(
        createDiagnostic(Diagnostics.classCountMismatch, shift.span, [
          `'${shift.from}'`,
          from.classes,
          `'${shift.to}'`,
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
