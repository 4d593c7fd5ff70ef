// Drives the runtime's StudyBuilder from a checked study, declaration by declaration in dependency order:
// data, distributions, pretrains, baselines and arms (an `init` before what starts from it), support splits,
// comparisons, expectations. The typed study holds the runtime's spec types with every default applied, so
// they pass through unchanged.
import type { Span } from '../../grammar/ast.ts';
import type { FileDigests } from '../../runtime/exec/file-digest.ts';
import { studyDir } from '../../runtime/input-files.ts';
import type { SourceRef } from '../../runtime/plan.ts';
import { isBackboneKind } from '../../runtime/models/frozen/kinds.ts';
import type { ModelSpec } from '../../runtime/models/spec.ts';
import {
  LINEAR_PROBE,
  StudyBuilder,
  type BackboneHandle,
  type CompareHandle,
  type DataHandle,
  type DistributionHandle,
  type GroupHandle,
  type PretrainHandle,
  type ShiftRef,
  type SplitHandle,
} from '../../runtime/study/builder.ts';
import type {
  BackboneSpec,
  TypedDataSource,
  TypedDistribution,
  TypedModel,
  TypedPretrain,
  TypedShift,
  TypedSplit,
  TypedStudy,
  TypedTrainingGroup,
} from '../check/typed.ts';
import { printExpression } from '../format/expression.ts';
import { toExpectInput } from './expect.ts';

/** How a plan reads the study's input files (see runtime/input-files.ts). */
export interface PlanOptions {
  /** The digest memo (one under the cache directory, for commands that have one); default in-process. */
  digests?: FileDigests;
}

/** A fresh builder for a checked study. */
export function newStudyBuilder(study: TypedStudy, source: string, options: PlanOptions = {}): StudyBuilder {
  return new StudyBuilder({
    name: study.name,
    file: study.file,
    seed: study.seed,
    title: study.title,
    source,
    dir: studyDir(study.file),
    digests: options.digests,
  });
}

/**
 * Makes the builder calls a checked study stands for, in dependency order. A caller may pass its own
 * builder (the emitter passes one that records the calls).
 */
export function buildStudy(study: TypedStudy, source: string, builder = newStudyBuilder(study, source)): StudyBuilder {
  const lines = source.split(/\r\n|\r|\n/);
  const at = (span: Span): SourceRef => ({
    file: span.file,
    line: span.line,
    column: span.column,
    text: (lines[span.line - 1] ?? '').trim(),
  });

  // One handle per typed object: the typed study resolves every reference to its object, so a look-up by
  // object cannot miss (declarations come in dependency order).
  const data = new Map<TypedDataSource, DataHandle>();
  const dataHandle = (typed: TypedDataSource): DataHandle => {
    let handle = data.get(typed);
    if (!handle) data.set(typed, (handle = builder.data(typed.name, typed.spec, { val: typed.val }, at(typed.span))));
    return handle;
  };
  study.data.forEach(dataHandle);

  const distributions = new Map<TypedDistribution, DistributionHandle>();
  const distribution = (typed: TypedDistribution): DistributionHandle => {
    let handle = distributions.get(typed);
    if (!handle) {
      handle = builder.distribution(
        typed.name,
        dataHandle(typed.data),
        typed.transforms.map((transform) => transform.spec),
        at(typed.span),
      );
      distributions.set(typed, handle);
    }
    return handle;
  };
  study.distributions.forEach(distribution);

  const shift = (typed: TypedShift): ShiftRef => ({
    name: typed.name,
    from: distribution(typed.from),
    to: distribution(typed.to),
  });

  // Frozen backbones make no job of their own; their handles key the per-split `features` jobs.
  const backbones = new Map<TypedModel, BackboneHandle>();
  for (const typed of study.models) {
    if (isBackboneKind(typed.spec.kind))
      backbones.set(typed, builder.backbone(typed.name, typed.spec as BackboneSpec, at(typed.span)));
  }
  // What is trained: the architecture, or over a frozen backbone's features a linear head (the checker
  // allows a backbone only as an init or a classifier).
  const trained = (typed: TypedModel): ModelSpec => (backbones.has(typed) ? LINEAR_PROBE : (typed.spec as ModelSpec));

  const pretrains = new Map<TypedPretrain, PretrainHandle>();
  for (const typed of study.pretrains) {
    pretrains.set(
      typed,
      builder.pretrain(
        typed.name,
        { model: trained(typed.model), recipe: typed.recipe, data: distribution(typed.data) },
        at(typed.span),
      ),
    );
  }

  const groups = new Map<TypedTrainingGroup, GroupHandle>();
  const group = (typed: TypedTrainingGroup): GroupHandle => {
    let handle = groups.get(typed);
    if (!handle) groups.set(typed, (handle = typed.role === 'baseline' ? baseline(typed) : arm(typed)));
    return handle;
  };
  const baseline = (typed: TypedTrainingGroup): GroupHandle => {
    if (!typed.train || !typed.recipe) throw new Error(`baseline ${typed.name} has no training data`);
    return builder.baseline(
      typed.name,
      {
        model: trained(typed.model),
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
    const init =
      typed.init === null
        ? null
        : typed.init.kind === 'pretrain'
          ? pretrains.get(typed.init.pretrain)!
          : typed.init.kind === 'backbone'
            ? backbones.get(typed.init.model)!
            : group(typed.init.group);
    const sweep = typed.sweep && {
      param: typed.sweep.param,
      values: typed.sweep.values,
      select: {
        metric: typed.sweep.select.metric,
        distribution: distribution(typed.sweep.select.distribution),
        split: typed.sweep.select.split,
        groups: typed.sweep.select.groups,
      },
    };
    const reweight = typed.reweight && {
      distribution: distribution(typed.reweight.distribution),
      split: typed.reweight.split,
      balancedBy: typed.reweight.balancedBy,
      C: typed.reweight.C,
      subsets: typed.reweight.subsets,
    };
    return builder.arm(
      typed.name,
      {
        init,
        model: trained(typed.model),
        strategy: typed.strategy,
        head: typed.head,
        train: typed.train && distribution(typed.train),
        recipe: typed.recipe,
        sweep,
        reweight,
        objective: typed.objective,
        copies: typed.copies,
        limit: typed.limit,
        balancedBy: typed.balancedBy,
      },
      at(typed.span),
    );
  };
  study.groups.forEach(group);

  const splits = new Map<TypedSplit, SplitHandle>();
  for (const typed of study.splits) {
    const args = {
      shift: shift(typed.shift),
      classifier: backbones.get(typed.classifier) ?? trained(typed.classifier),
      init: typed.init && pretrains.get(typed.init)!,
      ...(typed.recipe ? { recipe: typed.recipe } : {}),
      folds: typed.folds,
      threshold: typed.threshold,
      source: typed.source,
      sweep: typed.sweep,
      epsilons: typed.epsilons,
    };
    splits.set(typed, builder.supportSplit(typed.name, args, at(typed.span)));
  }

  const compares = new Map<string, CompareHandle>();
  for (const typed of study.compares) {
    const targets = typed.shifts.map((target) => ({
      label: target.label,
      shift: shift(target.shift),
      part: target.split && { split: splits.get(target.split.split)!, part: target.split.part },
    }));
    const args = {
      arms: typed.arms.map(group),
      baseline: group(typed.baseline),
      targets,
      metric: typed.metric,
      scale: typed.scale,
      interval: typed.interval,
      intervalRule: typed.intervalRule,
      baselinePoints: typed.baseline.points,
      groups: typed.groups,
    };
    compares.set(typed.name, builder.compare(typed.name, args, at(typed.span)));
  }

  // The canonical spelling, so reformatting a claim keeps its job id.
  const handles = {
    compares,
    group,
    pretrain: (typed: TypedPretrain) => pretrains.get(typed)!,
    distribution,
    split: (typed: TypedSplit) => splits.get(typed)!,
  };
  for (const typed of study.expects)
    builder.expect(
      toExpectInput(typed.expression, handles, typed.metrics),
      printExpression(typed.expression),
      at(typed.span),
    );
  return builder;
}
