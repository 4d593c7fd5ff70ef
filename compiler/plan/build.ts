// Drives the runtime's StudyBuilder from a checked study, declaration by declaration in dependency order:
// data, distributions, pretrains, baselines and arms (an `init` before what starts from it), support splits,
// comparisons, expectations. The typed study's specs are converted to the runtime's on the way.
import type { Span } from '../../grammar/ast.ts';
import type { SourceRef } from '../../runtime/plan.ts';
import type { Params as RuntimeParams, SourceSpec } from '../../runtime/data/specs.ts';
import { toModelSpec, type ModelSpec } from '../../runtime/models/spec.ts';
import {
  StudyBuilder,
  type CompareHandle,
  type DataHandle,
  type DistributionHandle,
  type GroupHandle,
  type PretrainHandle,
  type ShiftRef,
  type SplitHandle,
} from '../../runtime/study/builder.ts';
import type { TypedDistribution, TypedStudy, TypedTrainingGroup } from '../check/typed.ts';
import { printExpression } from '../format/expression.ts';
import { toExpectInput } from './expect.ts';

/** Fraction of a source's train part held out as `val` when the study does not say. */
const DEFAULT_VAL = 0.1;

/** A fresh builder for a checked study. */
export function newStudyBuilder(study: TypedStudy, source: string): StudyBuilder {
  return new StudyBuilder({ name: study.name, file: study.file, seed: study.seed, title: study.title, source });
}

/**
 * Makes the builder calls a checked study stands for, in dependency order. A caller may pass its own
 * builder (the emitter passes one that records the calls).
 */
export function buildStudy(study: TypedStudy, source: string, builder = newStudyBuilder(study, source)): StudyBuilder {
  const lines = source.split(/\r\n|\r|\n/);
  const at = (span: Span): SourceRef => ({ file: span.file, line: span.line, column: span.column, text: (lines[span.line - 1] ?? '').trim() });

  const data = new Map<string, DataHandle>();
  for (const declared of study.data) {
    const { val, ...params } = declared.spec.params;
    const sourceSpec: SourceSpec = { kind: declared.spec.source, params: params as RuntimeParams };
    data.set(declared.name, builder.data(declared.name, sourceSpec, { val: typeof val === 'number' ? val : DEFAULT_VAL }, at(declared.span)));
  }

  const distributions = new Map<string, DistributionHandle>();
  const distribution = (typed: TypedDistribution): DistributionHandle => {
    const known = distributions.get(typed.name);
    if (known) return known;
    const root = data.get(typed.data);
    if (!root) throw new Error(`distribution ${typed.name}: unknown data ${typed.data}`);
    const transforms = typed.transforms.map((transform) => ({ kind: transform.spec.kind, params: transform.spec.params as RuntimeParams }));
    const handle = builder.distribution(typed.name, root, transforms, at(typed.span));
    distributions.set(typed.name, handle);
    return handle;
  };
  const named = (name: string): DistributionHandle => {
    const typed = study.distributions.find((candidate) => candidate.name === name);
    if (!typed) throw new Error(`unknown distribution ${name}`);
    return distribution(typed);
  };
  study.distributions.forEach(distribution);

  // As a `compare` without `groups`: [label, aligned] when the data carries `aligned`, else [label].
  const defaultGroups = (name: string): string[] =>
    study.distributions.find((candidate) => candidate.name === name)?.attributes.includes('aligned') ? ['label', 'aligned'] : ['label'];
  const shift = (name: string): ShiftRef => {
    const typed = study.shifts.find((candidate) => candidate.name === name);
    if (!typed) throw new Error(`unknown shift ${name}`);
    return { name, from: named(typed.from), to: named(typed.to) };
  };
  const model = (name: string): ModelSpec => {
    const typed = study.models.find((candidate) => candidate.name === name);
    if (!typed) throw new Error(`unknown model ${name}`);
    return toModelSpec(typed.spec.architecture, typed.spec.params);
  };

  const pretrains = new Map<string, PretrainHandle>();
  for (const typed of study.pretrains) {
    pretrains.set(
      typed.name,
      builder.pretrain(typed.name, { model: model(typed.model), recipe: typed.recipe, data: distribution(typed.data) }, at(typed.span)),
    );
  }

  const groups = new Map<string, GroupHandle>();
  const group = (typed: TypedTrainingGroup): GroupHandle => {
    const known = groups.get(typed.name);
    if (known) return known;
    const handle = typed.role === 'baseline' ? baseline(typed) : arm(typed);
    groups.set(typed.name, handle);
    return handle;
  };
  const groupNamed = (name: string): GroupHandle => {
    const typed = study.groups.find((candidate) => candidate.name === name);
    if (!typed) throw new Error(`unknown baseline or arm ${name}`);
    return group(typed);
  };
  const baseline = (typed: TypedTrainingGroup): GroupHandle => {
    if (!typed.train || !typed.recipe) throw new Error(`baseline ${typed.name} has no training data`);
    return builder.baseline(
      typed.name,
      {
        model: model(typed.model),
        train: distribution(typed.train),
        recipe: typed.recipe,
        checkpoints: typed.checkpoints,
        copies: typed.copies,
        limit: typed.limit,
        balancedBy: typed.balancedBy,
      },
      at(typed.span),
    );
  };
  const arm = (typed: TypedTrainingGroup): GroupHandle => {
    const init = typed.init === null ? null : typed.init.kind === 'pretrain' ? pretrains.get(typed.init.name)! : groupNamed(typed.init.name);
    const sweep = typed.sweep && {
      param: typed.sweep.param,
      values: typed.sweep.values,
      select: {
        metric: typed.sweep.select.metric,
        distribution: named(typed.sweep.select.distribution),
        split: typed.sweep.select.split,
        groups: defaultGroups(typed.sweep.select.distribution),
      },
    };
    const reweight = typed.reweight && {
      distribution: named(typed.reweight.distribution),
      split: typed.reweight.split,
      balancedBy: typed.reweight.balancedBy,
    };
    return builder.arm(
      typed.name,
      {
        init,
        model: model(typed.model),
        strategy: typed.strategy,
        head: typed.head,
        train: typed.train && distribution(typed.train),
        recipe: typed.recipe,
        sweep,
        reweight,
        copies: typed.copies,
        limit: typed.limit,
        balancedBy: typed.balancedBy,
      },
      at(typed.span),
    );
  };
  study.groups.forEach(group);

  const splits = new Map<string, SplitHandle>();
  for (const typed of study.splits) {
    const args = {
      shift: shift(typed.shift),
      classifier: model(typed.classifier),
      ...(typed.recipe ? { recipe: typed.recipe } : {}),
      folds: typed.folds,
      threshold: typed.threshold,
    };
    splits.set(typed.name, builder.supportSplit(typed.name, args, at(typed.span)));
  }

  const compares = new Map<string, CompareHandle>();
  for (const typed of study.compares) {
    const targets = typed.shifts.map((target) => ({
      label: target.label,
      shift: shift(target.shift),
      part: target.split && { split: splits.get(target.split.name)!, part: target.split.part },
    }));
    const args = {
      arms: typed.arms.map(groupNamed),
      baseline: groupNamed(typed.baseline),
      targets,
      metric: typed.metric,
      scale: typed.scale,
      interval: typed.interval,
      intervalRule: typed.intervalRule,
      baselinePoints: study.groups.find((group) => group.name === typed.baseline)!.points,
      groups: typed.groups,
    };
    compares.set(typed.name, builder.compare(typed.name, args, at(typed.span)));
  }

  // The canonical spelling, so reformatting a claim keeps its job id.
  for (const typed of study.expects) builder.expect(toExpectInput(typed.expression, compares), printExpression(typed.expression), at(typed.span));
  return builder;
}
