import { createDiagnostic, Diagnostics } from '../../diagnostics/index.ts';
import { architectures } from '../builtins.ts';
import { initName, spanOf, trainedOn } from '../lookup.ts';
import { compatibleShapes, describeShape } from '../shapes.ts';
import type { InitRef, TypedDistribution, TypedModel } from '../typed.ts';
import type { StudyRule, StudyRuleContext } from './context.ts';

/**
 * S4002: an image model on vector data; S4003: a kept head whose class count differs from the data; S4016: a
 * metric call measuring a model on inputs of another shape than it was trained on.
 */
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
  for (const expect of study.expects) {
    for (const call of expect.metrics) {
      const modelName = initName(call.model);
      const model = call.model.kind === 'pretrain' ? call.model.pretrain.model : call.model.group.model;
      const data = call.distribution;
      const span = call.call.args[1]!.span;
      const trained = trainingData(call.model);
      if (architectures[model.spec.kind]!.input === 'image' && data.shape.kind === 'vector') {
        report(
          createDiagnostic(
            Diagnostics.inputShapeMismatch,
            span,
            [modelName, model.spec.kind, describeShape(data.shape), data.name],
            { hint: 'measure it on data of the kind it was trained on' },
          ),
        );
      } else if (trained && !compatibleShapes(trained.shape, data.shape)) {
        report(
          createDiagnostic(
            Diagnostics.measuredShapeMismatch,
            span,
            [modelName, describeShape(trained.shape), data.name, describeShape(data.shape)],
            { hint: `measure it on data shaped like '${trained.name}'` },
          ),
        );
      }
      const classes = outputClasses(call.model);
      if (classes && data.classes && classes !== data.classes) {
        report(
          createDiagnostic(
            Diagnostics.classCountMismatch,
            span,
            [`'${modelName}'`, classes, `'${data.name}'`, data.classes],
            { hint: 'measure a model on data with the classes its head predicts' },
          ),
        );
      }
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
  reports: [Diagnostics.inputShapeMismatch, Diagnostics.classCountMismatch, Diagnostics.measuredShapeMismatch],
  run: modelFitsData,
};

/** The data a trained model's weights last learnt from (an arm that only reweights: its init's). */
function trainingData(model: InitRef): TypedDistribution | null {
  return trainedOn(model) ?? (model.kind === 'group' && model.group.init ? trainingData(model.group.init) : null);
}

/** How many classes a trained model's head predicts (null when only the data files can tell). */
function outputClasses(model: InitRef): number | null {
  if (model.kind === 'pretrain') return model.pretrain.data.classes;
  const { group } = model;
  if (group.train && group.head === 'new') return group.train.classes;
  return group.init ? outputClasses(group.init) : (group.train?.classes ?? null);
}
