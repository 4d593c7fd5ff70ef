import type { Span } from '../../../grammar/ast.ts';
import {
  isBackboneKind,
  BACKBONES,
  resolveBackbonePaths,
  type BackboneSpec,
} from '../../../runtime/models/frozen/kinds.ts';
import { ModelFileError, type ModelFileProblem } from '../../../runtime/models/frozen/errors.ts';
import { studyDir } from '../../../runtime/input-files.ts';
import { createDiagnostic, Diagnostics, type DiagnosticDefinition } from '../../diagnostics/index.ts';
import { transforms } from '../builtins.ts';
import { attributeOf, spanOf } from '../lookup.ts';
import { describeShape } from '../shapes.ts';
import type { TypedModel } from '../typed.ts';
import type { StudyRule, StudyRuleContext } from './context.ts';

const FILE_CODES: Record<ModelFileProblem, DiagnosticDefinition> = {
  format: Diagnostics.modelFileFormat,
  input: Diagnostics.modelInputMismatch,
  output: Diagnostics.unknownModelOutput,
  shard: Diagnostics.missingWeightShard,
};

const isFrozen = (model: TypedModel) => isBackboneKind(model.spec.kind);

/**
 * Frozen backbones (`onnx`, `graph`, `layers`) are only read, never trained:
 * S2013 `strategy ft`/`lp_ft` from one (or from a probe arm over one); S2020 `head keep` from one (it has no
 * head); S4020 training over its cached features on data augmented per batch; S2014 one as a baseline's,
 * arm's or pretrain's trained `model`; S2015 `init` naming an untrained architecture; S4013 one over vector data;
 * S6005–S6008 its file inspected without running it (not a model, an input that does not fit the study,
 * an unknown output, a missing weight shard). A missing file itself is S6001's (input-files rule).
 */
function frozenBackbone({ study, bound, report }: StudyRuleContext): void {
  const binding = (name: string) => bound.symbols.get(name)!;
  for (const group of study.groups) {
    const owner = binding(group.name);
    const init = group.init;
    // Over a frozen backbone, directly or through the probe arm it starts from, only the linear head trains.
    const backbone = init && isFrozen(group.model) ? group.model : null;
    if (backbone && group.strategy !== 'lp') {
      const through = init?.kind === 'group' ? `'${init.group.name}' is a probe over it: ` : '';
      report(
        createDiagnostic(Diagnostics.frozenStrategy, spanOf(owner, 'strategy'), [backbone.name, group.strategy], {
          hint: `${through}use \`strategy lp\` (a linear head on its features) or \`reweight last_layer on ..\`; to fine-tune, \`load\` a TF.js layers model`,
        }),
      );
    }
    const head = attributeOf(owner, 'head');
    if (init?.kind === 'backbone' && isFrozen(init.model) && head && group.head === 'keep') {
      report(
        createDiagnostic(Diagnostics.frozenHeadKept, head.values[0]?.span ?? head.span, [init.model.name], {
          hint: 'remove `head keep`; to continue training a probe, start from its arm (`init probe`)',
        }),
      );
    }
    const perBatch = backbone && group.train?.transforms.find((t) => transforms[t.spec.kind]?.drawnPerBatch);
    if (backbone && perBatch) {
      report(
        createDiagnostic(
          Diagnostics.augmentOverFrozen,
          spanOf(owner, 'train'),
          [group.name, backbone.name, group.train!.name],
          {
            hint: `${backbone.name}'s features are computed once per split and cached; train from scratch on '${group.train!.name}', or probe a distribution without \`${perBatch.spec.kind}\``,
          },
        ),
      );
    }
    const written = attributeOf(owner, 'model');
    if (written && isFrozen(group.model)) {
      report(
        createDiagnostic(
          Diagnostics.frozenModelTrained,
          written.values[0]?.span ?? written.span,
          [group.model.name, `${group.role} '${group.name}''s model`],
          { hint: `probe it instead: \`init ${group.model.name}, strategy lp\`` },
        ),
      );
    }
    const initAttribute = attributeOf(owner, 'init');
    if (init?.kind === 'backbone' && !isFrozen(init.model) && initAttribute) {
      report(
        createDiagnostic(
          Diagnostics.initArchitecture,
          initAttribute.values[0]?.span ?? initAttribute.span,
          [init.model.name, init.model.spec.kind],
          { hint: `train it from scratch with \`model ${init.model.name}\`` },
        ),
      );
    }
    if (init?.kind === 'backbone' && isFrozen(init.model)) {
      for (const data of [group.train, group.reweight?.distribution]) {
        if (data?.shape.kind === 'vector') {
          report(
            createDiagnostic(Diagnostics.frozenOnVectors, owner.nameSpan, [
              init.model.name,
              data.name,
              describeShape(data.shape),
            ]),
          );
        }
      }
    }
  }
  for (const pretrain of study.pretrains) {
    if (!isFrozen(pretrain.model)) continue;
    const written = attributeOf(binding(pretrain.name), 'model')!;
    report(
      createDiagnostic(Diagnostics.frozenModelTrained, written.values[0]?.span ?? written.span, [
        pretrain.model.name,
        `pretrain '${pretrain.name}''s model`,
      ]),
    );
  }
  const dir = studyDir(study.file);
  for (const model of study.models) {
    if (!isFrozen(model)) continue;
    const problem = inspect(model.spec as BackboneSpec, dir);
    if (problem) report(createDiagnostic(FILE_CODES[problem.problem], pathSpan(model, bound), [problem.message]));
  }
}

/** What is wrong with the backbone's file, or null (also null when the file is missing: S6001 reports that). */
function inspect(spec: BackboneSpec, dir: string): ModelFileError | null {
  const resolved = resolveBackbonePaths(spec, dir);
  try {
    BACKBONES[spec.kind].inspect(resolved);
    return null;
  } catch (error) {
    if (!(error instanceof ModelFileError)) throw error;
    if (/not found|ENOENT/.test(error.reason) && error.file === resolved.path) return null;
    return error;
  }
}

/** The model declaration's path string (its first argument). */
function pathSpan(model: TypedModel, bound: StudyRuleContext['bound']): Span {
  const declaration = bound.symbols.get(model.name)!.declaration as {
    value?: { kind: string; args?: { span: Span }[] };
  };
  return declaration.value?.kind === 'Call' && declaration.value.args?.[0]
    ? declaration.value.args[0].span
    : model.span;
}

export const frozenBackboneRule: StudyRule = {
  name: 'frozen-backbone',
  reports: [
    Diagnostics.frozenStrategy,
    Diagnostics.frozenHeadKept,
    Diagnostics.augmentOverFrozen,
    Diagnostics.frozenModelTrained,
    Diagnostics.initArchitecture,
    Diagnostics.frozenOnVectors,
    Diagnostics.modelFileFormat,
    Diagnostics.modelInputMismatch,
    Diagnostics.unknownModelOutput,
    Diagnostics.missingWeightShard,
  ],
  run: frozenBackbone,
};
