// The study builder: readable calls (`study.data`, `study.distribution`, `study.baseline`, `study.arm`,
// `study.compare`, `study.expect`) that each return a handle for later calls and create the jobs of
// runtime/jobs/specs.ts. The planner drives it from a checked study, and compiled scripts call it directly,
// so both produce the same plan, job for job and hash for hash.
//
// Specs hold content only (never names), so a rename or a reordering changes no hash; names go into job ids
// and `Job.labels`. Seeds derive from the study seed and a purpose (and copy index), never from a name.
import { resolve } from 'node:path';
import { sourceInputFiles } from '../data/sources/index.ts';
import { FileDigests, InputFileError } from '../exec/file-digest.ts';
import { displayPath, type InputFile } from '../input-files.ts';
import { modelInputFiles } from '../models/create.ts';
import {
  canonicalJson,
  jobHash,
  planHash,
  PLAN_FORMAT_VERSION,
  type EvaluationLabels,
  type InputDigest,
  type Job,
  type JobCost,
  type JobKind,
  type JobLabelsByKind,
  type JsonValue,
  type Plan,
  type SourceRef,
} from '../plan.ts';
import { deriveSeed } from '../random.ts';
import type { NumberFunctionName } from '../expect/functions.ts';
import type { SourceSpec } from '../data/sources/index.ts';
import type { TransformSpec } from '../data/specs.ts';
import { backboneInputFiles, type BackboneSpec } from '../models/frozen/kinds.ts';
import type { ModelSpec } from '../models/spec.ts';
import type { ObjectiveSpec } from '../train/objectives/index.ts';
import { SUPPORT_CLASSIFIER_RECIPE, type RecipeSpec } from '../train/recipe.ts';
import type {
  ArmInterval,
  BaselinePoints,
  CheckpointJobSpec,
  EffectiveRobustnessJobSpec,
  ExpectExpression,
  FeaturesJobSpec,
  ExpectJobSpec,
  FitBaselineJobSpec,
  LoadJobSpec,
  Metric,
  MetricJobSpec,
  PredictJobSpec,
  PretrainJobSpec,
  ReweightJobSpec,
  Scale,
  SplitName,
  Strategy,
  SupportPart,
  SupportSplitJobSpec,
  SupportSweepJobSpec,
  SweepSelectJobSpec,
  TrainJobSpec,
  TransformJobSpec,
} from '../jobs/specs.ts';
import { sweepCandidateSeed } from '../jobs/specs.ts';
import { capped, chainSizes, sourceSizes, type SplitSizes } from './sizes.ts';

/** What is trained over a frozen backbone's features: a linear head (logistic regression). */
export const LINEAR_PROBE: ModelSpec = { kind: 'mlp', hidden: [] };

/** The `path` an `expect` reads from an effective-robustness artifact: the aggregated ER. */
export const EXPECT_RESULT_FIELD = 'er';

/** A study the builder cannot turn into jobs (names the study line when it knows it). */
export class StudyBuildError extends Error {
  constructor(
    message: string,
    readonly at?: SourceRef,
  ) {
    super(at ? `${at.file}:${at.line}:${at.column}: ${message}` : message);
    this.name = 'StudyBuildError';
  }
}

// ---------------------------------------------------------------- handles

export interface DataHandle {
  readonly kind: 'data';
  readonly name: string;
  readonly jobId: string;
  readonly val: number;
  readonly sizes: SplitSizes;
}

export interface DistributionHandle {
  readonly kind: 'distribution';
  readonly name: string;
  readonly jobId: string;
  readonly data: DataHandle;
  /** The whole chain from the data source, in application order. */
  readonly transforms: readonly TransformSpec[];
  readonly sizes: SplitSizes;
}

/** A frozen backbone (`model clip = onnx ".."`): its features are computed once per distribution split. */
export interface BackboneHandle {
  readonly kind: 'backbone';
  readonly name: string;
  readonly spec: BackboneSpec;
}

export interface PretrainHandle {
  readonly kind: 'pretrain';
  readonly name: string;
  readonly jobId: string;
  readonly model: ModelSpec;
}

/** One evaluated model of a group: a baseline checkpoint or an arm copy's final model. */
export interface EvaluatedModel {
  /** The results name: `from_scratch.copy0.epoch4`, `fine_tuned.copy2`. */
  readonly name: string;
  /** Short form used in job ids: `from_scratch#0@4`, `fine_tuned#2`. */
  readonly key: string;
  readonly jobId: string;
  readonly copy: number;
  readonly epoch?: number;
}

export interface GroupHandle {
  readonly kind: 'group';
  readonly name: string;
  readonly role: 'baseline' | 'arm';
  readonly model: ModelSpec;
  /** Set when the group's models read a frozen backbone's features (a linear probe over it, or a refit of one). */
  readonly backbone: BackboneHandle | null;
  readonly copies: number;
  /** Job whose `model/` is each copy's final model (what `init` of this group starts from). */
  readonly finals: readonly string[];
  readonly evaluated: readonly EvaluatedModel[];
  /** The recipe's last epoch (0 when the group does not train): a baseline's final models are named by it. */
  readonly finalEpoch: number;
}

export interface ShiftRef {
  readonly from: DistributionHandle;
  readonly to: DistributionHandle;
  /** The declared shift's name, for labels (`flip`). */
  readonly name?: string;
}

export interface SplitHandle {
  readonly kind: 'split';
  readonly name: string;
  readonly jobId: string;
  readonly shift: ShiftRef;
  /** The threshold and every swept ε, ascending: where comparisons over its parts report ER. */
  readonly epsilons: readonly number[];
}

export interface CompareHandle {
  readonly kind: 'compare';
  readonly name: string;
  /** `arm.target` → the effective-robustness job's id. */
  readonly results: ReadonlyMap<string, string>;
}

// ---------------------------------------------------------------- options

export interface PretrainArgs {
  model: ModelSpec;
  recipe: RecipeSpec;
  data: DistributionHandle;
}

// Every argument is given: the checker applies each default once (from its schema tables), and the planner
// and compiled scripts pass the complete result, so the builder restates none of them.

export interface BaselineArgs {
  model: ModelSpec;
  train: DistributionHandle;
  recipe: RecipeSpec;
  /** Epochs evaluated as points of the line (at least one). */
  checkpoints: number[];
  copies: number;
  limit: number | null;
  balancedBy: string[] | null;
}

export interface SweepArgs {
  param: keyof RecipeSpec;
  values: number[];
  select: { metric: Metric; distribution: DistributionHandle; split: SplitName; groups: string[] };
}

export interface ReweightArgs {
  distribution: DistributionHandle;
  split: SplitName;
  balancedBy: string[];
  /** sklearn's C, or candidates chosen on a held-out half of the split. */
  C: number[];
  subsets: number;
}

export interface ArmArgs {
  /** Where the weights start; null = from scratch. A frozen backbone: a linear probe or DFR over its features. */
  init: PretrainHandle | GroupHandle | BackboneHandle | null;
  /** The architecture (an init's, when the study names none). */
  model: ModelSpec;
  strategy: Strategy;
  head: 'new' | 'keep';
  /** Both null for an arm that only reweights its init. */
  train: DistributionHandle | null;
  recipe: RecipeSpec | null;
  sweep: SweepArgs | null;
  reweight: ReweightArgs | null;
  /** A group-robust training objective; null trains by ERM. */
  objective: ObjectiveSpec | null;
  /** Copy i starts from copy i mod n of an init group. */
  copies: number;
  limit: number | null;
  balancedBy: string[] | null;
}

export interface SupportSplitArgs {
  shift: ShiftRef;
  /** The classifier's architecture (a pre-trained init's, when `init` is given); a frozen backbone: a linear
   *  head over its features. */
  classifier: ModelSpec | BackboneHandle;
  /** A pre-trained model the classifier is fine-tuned from, with a new two-class head. */
  init: PretrainHandle | null;
  recipe?: RecipeSpec;
  folds: number;
  threshold: number;
  /** The reference's split the classifier trains on (train: disjoint from the evaluated test split). */
  source: SplitName;
  /** Learning rates (or another recipe field) to choose from by held-out AUROC. */
  sweep: { param: keyof RecipeSpec; values: number[] } | null;
  /** Values of ε whose part sizes are reported. */
  epsilons: number[];
}

/** One shift a comparison reports on: its label in results, and optionally a support-split part of it. */
export interface CompareTarget {
  label: string;
  shift: ShiftRef;
  part?: { split: SplitHandle; part: SupportPart } | null;
}

/** A target on a part of a support split. */
type SplitTarget = CompareTarget & { part: NonNullable<CompareTarget['part']> };

export interface CompareArgs {
  arms: GroupHandle[];
  baseline: GroupHandle;
  targets: CompareTarget[];
  metric: Metric;
  scale: Scale;
  /** Confidence level as a fraction (0.95). */
  interval: number;
  /** The ER interval of an arm with copies (see ArmInterval). */
  intervalRule: ArmInterval;
  /** How the baseline's copies become points of the line. */
  baselinePoints: BaselinePoints;
  /** Group attributes for worst-group metrics. */
  groups: string[];
}

/**
 * An `expect` claim, as ExpectExpression but naming comparison results and metric calls instead of dependency
 * indices. A metric call names a trained model (an arm's or baseline's copies at their final epoch, or a
 * pretrain) and a split; `text` is the call as printed, the name results show its value under.
 */
export type ExpectInput =
  | { op: '>' | '>=' | '<' | '<=' | '==' | '+' | '-'; left: ExpectInput; right: ExpectInput }
  | { op: 'neg'; operand: ExpectInput }
  | { op: NumberFunctionName; args: ExpectInput[] }
  | { op: 'number'; value: number }
  | { op: 'result'; compare: CompareHandle; arm: string; target: string }
  | {
      op: 'metric';
      metric: Metric;
      model: GroupHandle | PretrainHandle;
      on: MetricSplit;
      groups: string[];
      text: string;
    };

/** Where a metric call measures: a distribution's split, or (with `part`) one part of a support split's test split. */
export interface MetricSplit {
  distribution: DistributionHandle;
  split: SplitName;
  part?: { split: SplitHandle; part: SupportPart };
}

export interface StudyBuilderInfo {
  name: string;
  file: string;
  seed: number;
  title?: string | null;
  /** Full text of the `.study` file (results record it). */
  source?: string;
  /**
   * The folder relative input paths resolve against: the study file's (a compiled script's own, see
   * docs/language.md). Default: the current directory.
   */
  dir?: string;
  /**
   * Content digests of the input files (its memo lives under the cache directory when it has one). Default:
   * an in-process memo, so a file is read once per process.
   */
  digests?: FileDigests;
}

// ---------------------------------------------------------------- the builder

/** A job before hashing, with its kind's labels. */
type Draft = {
  [K in JobKind]: {
    id: string;
    kind: K;
    spec: JsonValue;
    deps: string[];
    source?: SourceRef;
    cost?: JobCost;
    /** The user files it reads (digested at `add`). */
    inputs?: InputDigest[];
    labels: JobLabelsByKind[K];
  };
}[JobKind];

/** Where a model is evaluated: a distribution's split, or one support-split part of the shifted test split. */
interface Evaluation {
  distribution: DistributionHandle;
  /** The evaluated model reads this backbone's features of the split. */
  backbone: BackboneHandle | null;
  split: SplitName;
  part: { split: SplitHandle; part: SupportPart } | null;
}

const json = (value: unknown): JsonValue => value as JsonValue;

/** The model part of an evaluation's labels. */
type ModelLabels = Pick<EvaluationLabels, 'model' | 'group' | 'copy' | 'epoch' | 'candidate'>;

export class StudyBuilder {
  private readonly drafts = new Map<string, Draft>();
  private readonly names = new Map<string, string>();
  /** Absolute: where relative input paths point. */
  readonly dir: string;
  private readonly digests: FileDigests;
  /** This plan's digests by absolute path (see `digest`). */
  private readonly digested = new Map<string, string>();
  private readonly backboneFiles = new Map<BackboneHandle, InputFile[]>();

  constructor(readonly info: StudyBuilderInfo) {
    this.dir = resolve(info.dir ?? '.');
    this.digests = info.digests ?? new FileDigests(undefined);
  }

  /** `data digits = mnist { train 12000, test 2000 }`: `val` is the fraction of train held out as validation. */
  data(name: string, source: SourceSpec, options: { val: number }, at?: SourceRef): DataHandle {
    this.declare(name, 'data', at);
    const spec: LoadJobSpec = { source, seed: this.seed('load') };
    const jobId = this.add(
      {
        id: `load:${name}`,
        kind: 'load',
        spec: json(spec),
        deps: [],
        source: at,
        ...this.inputs(sourceInputFiles(source, this.dir), at),
        labels: { data: name },
      },
      at,
    );
    return { kind: 'data', name, jobId, val: options.val, sizes: sourceSizes(source, options.val) };
  }

  /** A distribution: a data source (or another distribution) passed through `transforms`, left to right. */
  distribution(
    name: string,
    base: DataHandle | DistributionHandle,
    transforms: TransformSpec[],
    at?: SourceRef,
  ): DistributionHandle {
    // A data source used where a distribution is expected (`train digits`) is its own, untransformed distribution.
    const dataAsItself = base.kind === 'data' && base.name === name && transforms.length === 0;
    if (!dataAsItself) this.declare(name, 'distribution', at);
    const data = base.kind === 'data' ? base : base.data;
    const chain = [...(base.kind === 'data' ? [] : base.transforms), ...transforms];
    const spec: TransformJobSpec = { transforms: chain, val: data.val, seed: this.seed('transform') };
    const jobId = this.add(
      {
        id: `transform:${name}`,
        kind: 'transform',
        spec: json(spec),
        deps: [data.jobId],
        source: at,
        labels: { distribution: name },
      },
      at,
    );
    return { kind: 'distribution', name, jobId, data, transforms: chain, sizes: chainSizes(data.sizes, chain) };
  }

  pretrain(name: string, options: PretrainArgs, at?: SourceRef): PretrainHandle {
    this.declare(name, 'pretrain', at);
    const spec: PretrainJobSpec = { model: options.model, recipe: options.recipe, seed: this.seed('pretrain') };
    const jobId = this.add(
      {
        id: `pretrain:${name}`,
        kind: 'pretrain',
        spec: json(spec),
        deps: [options.data.jobId],
        source: at,
        ...this.modelInputs(options.model, at),
        cost: trainingCost(options.data.sizes.train, options.recipe.epochs),
        labels: { pretrain: name },
      },
      at,
    );
    return { kind: 'pretrain', name, jobId, model: options.model };
  }

  /** A frozen backbone; it makes no job itself: each split it is used on gets one `features` job. */
  backbone(name: string, spec: BackboneSpec, at?: SourceRef): BackboneHandle {
    this.declare(name, 'backbone', at);
    return { kind: 'backbone', name, spec };
  }

  /** A baseline: copies trained from scratch, each checkpoint one point of the line. */
  baseline(name: string, options: BaselineArgs, at?: SourceRef): GroupHandle {
    return this.group(
      name,
      'baseline',
      { ...options, strategy: 'scratch', init: null, head: 'new', sweep: null, reweight: null, objective: null },
      at,
    );
  }

  /** An arm: copies judged against a baseline (fine-tuned, linear-probed, reweighted, or from scratch). */
  arm(name: string, options: ArmArgs, at?: SourceRef): GroupHandle {
    return this.group(name, 'arm', options, at);
  }

  /** `split parts = support(shift)`: the shift's test split divided into in-support and out-of-support parts. */
  supportSplit(name: string, options: SupportSplitArgs, at?: SourceRef): SplitHandle {
    this.declare(name, 'split', at);
    const recipe = options.recipe ?? SUPPORT_CLASSIFIER_RECIPE;
    const backbone = options.classifier.kind === 'backbone' ? options.classifier : null;
    const spec: SupportSplitJobSpec = {
      classifier: backbone ? LINEAR_PROBE : (options.classifier as ModelSpec),
      recipe,
      folds: options.folds,
      threshold: options.threshold,
      seed: this.seed('support-split'),
      source: options.source,
      hasInit: options.init !== null,
      sweep: options.sweep,
      epsilons: options.epsilons,
    };
    const { from, to } = options.shift;
    // Each fold's classifier (of each candidate) trains on the other folds of the source split and the shifted test.
    const fromSize = from.sizes[options.source];
    const candidates = options.sweep?.values.length ?? 1;
    const pooled =
      fromSize === null || to.sizes.test === null
        ? null
        : Math.round(((fromSize + to.sizes.test) * (options.folds - 1)) / options.folds) * options.folds * candidates;
    const jobId = this.add(
      {
        id: `support-split:${name}`,
        kind: 'support-split',
        spec: json(spec),
        deps: [
          this.dataOf(backbone, from, options.source, at),
          this.dataOf(backbone, to, 'test', at),
          ...(options.init ? [options.init.jobId] : []),
        ],
        source: at,
        ...this.modelInputs(spec.classifier, at),
        cost: trainingCost(pooled, recipe.epochs),
        labels: { split: name, shift: options.shift.name ?? `${from.name} -> ${to.name}` },
      },
      at,
    );
    const epsilons = [...new Set([options.threshold, ...options.epsilons])].sort((a, b) => a - b);
    return { kind: 'split', name, jobId, shift: options.shift, epsilons };
  }

  /** Effective robustness of each arm against the baseline's line, per target shift. */
  compare(name: string, options: CompareArgs, at?: SourceRef): CompareHandle {
    this.declare(name, 'compare', at);
    const { metric, scale, interval, intervalRule, baselinePoints, groups } = options;
    const results = new Map<string, string>();
    for (const target of options.targets) {
      const pairs = (group: GroupHandle) => {
        const { backbone } = group;
        const x: Evaluation = { distribution: target.shift.from, backbone, split: 'test', part: null };
        const y: Evaluation = { distribution: target.shift.to, backbone, split: 'test', part: target.part ?? null };
        return group.evaluated.flatMap((model) => [
          this.metricOf(model, group, x, metric, groups, at),
          this.metricOf(model, group, y, metric, groups, at),
        ]);
      };
      // Copies of one checkpoint share a point; the handler averages them under `mean_of_copies`.
      const fitSpec: FitBaselineJobSpec = {
        metric,
        scale,
        points: baselinePoints,
        epochs: options.baseline.evaluated.map((model) => model.epoch ?? 0),
      };
      const fit = this.add(
        {
          id: `fit-baseline:${name}.${target.label}`,
          kind: 'fit-baseline',
          spec: json(fitSpec),
          deps: pairs(options.baseline),
          source: at,
          labels: { compare: name, target: target.label, interval },
        },
        at,
      );
      for (const arm of options.arms) {
        const erSpec: EffectiveRobustnessJobSpec = { metric, scale, interval, intervalRule };
        const er = this.add(
          {
            id: `effective-robustness:${name}.${arm.name}.${target.label}`,
            kind: 'effective-robustness',
            spec: json(erSpec),
            deps: [fit, ...pairs(arm)],
            source: at,
            labels: { compare: name, arm: arm.name, target: target.label },
          },
          at,
        );
        results.set(`${arm.name}.${target.label}`, er);
      }
    }
    const splits = new Map<string, SplitTarget>();
    for (const target of options.targets)
      if (target.part) splits.set(target.part.split.name, { ...target, part: target.part });
    for (const target of splits.values()) this.supportSweep(name, options, target, at);
    return { kind: 'compare', name, results };
  }

  /**
   * ER on both parts of `target`'s split at every ε of the split: one job over each model's reference metric
   * and its predictions on the whole shifted test split (each ε's parts are subsets of those).
   */
  private supportSweep(name: string, options: CompareArgs, target: SplitTarget, at?: SourceRef): void {
    const { metric, groups } = options;
    const split = target.part.split;
    const pairs = (group: GroupHandle) => {
      const { backbone } = group;
      const x: Evaluation = { distribution: target.shift.from, backbone, split: 'test', part: null };
      const y: Evaluation = { distribution: target.shift.to, backbone, split: 'test', part: null };
      return group.evaluated.flatMap((model) => [
        this.metricOf(model, group, x, metric, groups, at),
        this.predictionsOf({ key: model.key, jobId: model.jobId, labels: modelLabels(model, group) }, y, at),
      ]);
    };
    const spec: SupportSweepJobSpec = {
      metric,
      scale: options.scale,
      interval: options.interval,
      intervalRule: options.intervalRule,
      points: options.baselinePoints,
      groups,
      epochs: options.baseline.evaluated.map((model) => model.epoch ?? 0),
      armCopies: options.arms.map((arm) => arm.evaluated.length),
      epsilons: [...split.epsilons],
    };
    this.add(
      {
        id: `support-sweep:${name}.${split.name}`,
        kind: 'support-sweep',
        spec: json(spec),
        deps: [split.jobId, target.shift.to.jobId, ...[options.baseline, ...options.arms].flatMap(pairs)],
        source: at,
        labels: { compare: name, split: split.name, arms: options.arms.map((arm) => arm.name) },
      },
      at,
    );
  }

  /** A claim over comparison results and metrics; `text` is the claim as written (for messages and ids). */
  expect(expression: ExpectInput, text: string, at?: SourceRef): void {
    const deps: string[] = [];
    const operands: string[] = [];
    const calls: string[] = [];
    const depIndex = (job: string, name: string) => {
      if (!deps.includes(job)) {
        deps.push(job);
        operands.push(name);
      }
      return deps.indexOf(job);
    };
    const convert = (input: ExpectInput): ExpectExpression => {
      switch (input.op) {
        case 'number':
          return { op: 'number', value: input.value };
        case 'neg':
          return { op: 'neg', operand: convert(input.operand) };
        case 'result': {
          const path = `${input.compare.name}.${input.arm}.${input.target}`;
          const job = input.compare.results.get(`${input.arm}.${input.target}`);
          if (!job) throw new StudyBuildError(`expect: ${path} names no comparison result`, at);
          return { op: 'result', index: depIndex(job, path), path: EXPECT_RESULT_FIELD };
        }
        case 'metric': {
          const { metric, on, groups } = input;
          const backbone = input.model.kind === 'group' ? input.model.backbone : null;
          const where: Evaluation = {
            distribution: on.distribution,
            backbone,
            split: on.split,
            part: on.part ?? null,
          };
          const args = this.finalModels(input.model).map((model): ExpectExpression => {
            const job = this.measure(model, where, metric, groups, at);
            const name = `${metric}(${model.labels.model}, ${evaluationName(where)})`;
            return { op: 'metric', index: depIndex(job, name), metric };
          });
          calls.push(input.text);
          return { op: metric, args };
        }
        default:
          if ('args' in input) return { op: input.op, args: input.args.map(convert) };
          return { op: input.op, left: convert(input.left), right: convert(input.right) };
      }
    };
    const spec: ExpectJobSpec = { expression: convert(expression) };
    this.add(
      {
        id: `expect:${text}`,
        kind: 'expect',
        spec: json(spec),
        deps,
        source: at,
        labels: { source: text, line: at?.line ?? 0, operands, ...(calls.length ? { calls } : {}) },
      },
      at,
    );
  }

  /** The plan: every job created so far, dependencies first, each with its content hash. */
  plan(): Plan {
    const hashes = new Map<string, string>();
    const jobs: Job[] = [];
    for (const draft of this.drafts.values()) {
      const hash = jobHash(
        draft.kind,
        draft.spec,
        draft.deps.map((dep) => hashes.get(dep)!),
        (draft.inputs ?? []).map((input) => input.sha256),
      );
      hashes.set(draft.id, hash);
      // The draft's kind and labels travel together, so the job keeps their pairing.
      const job = { id: draft.id, kind: draft.kind, spec: draft.spec, deps: draft.deps, hash } as Job;
      if (draft.inputs) job.inputs = draft.inputs;
      if (draft.source) job.source = draft.source;
      if (draft.cost) job.cost = draft.cost;
      job.labels = draft.labels;
      jobs.push(job);
    }
    try {
      this.digests.saveSync();
    } catch {
      // The memo only saves re-reading files next time; a read-only cache must not stop a plan.
    }
    return {
      formatVersion: PLAN_FORMAT_VERSION,
      study: { name: this.info.name, file: this.info.file, seed: this.info.seed, dir: this.dir },
      hash: planHash(jobs),
      jobs,
    };
  }

  // ---------------------------------------------------------------- groups

  private group(
    name: string,
    role: 'baseline' | 'arm',
    options: ArmArgs & { checkpoints?: number[] },
    at?: SourceRef,
  ): GroupHandle {
    this.declare(name, 'group', at);
    const { init, train, recipe, copies, limit, balancedBy, objective } = options;
    // Over a frozen backbone the trained model is a linear head on its features, started from scratch.
    const frozen = init?.kind === 'backbone';
    const backbone = init?.kind === 'backbone' ? init : init?.kind === 'group' ? init.backbone : null;
    const model = frozen ? LINEAR_PROBE : options.model;
    const strategy: Strategy = frozen ? 'scratch' : options.strategy;
    const head = frozen ? 'new' : options.head;
    const initCopies = init?.kind === 'group' ? init.copies : 1;
    const initModel = (copy: number): string | null =>
      init === null || init.kind === 'backbone'
        ? null
        : init.kind === 'pretrain'
          ? init.jobId
          : init.finals[copy % initCopies];
    // Also from a probe arm over one: only its linear head can train.
    if (backbone && options.strategy !== 'lp')
      throw new StudyBuildError(`${name}: a frozen backbone supports only strategy lp, not ${options.strategy}`, at);
    if ((train === null) !== (recipe === null)) throw new StudyBuildError(`${name}: train and recipe go together`, at);
    if (train === null && !options.reweight)
      throw new StudyBuildError(`${name}: nothing to do (no train and no reweight)`, at);
    if (train === null && init === null)
      throw new StudyBuildError(`${name}: an arm without training needs an init`, at);
    const finalEpoch = recipe?.epochs ?? 0;
    // A baseline is evaluated at each checkpoint; an arm at its final model.
    const epochs = role === 'baseline' ? [...(options.checkpoints ?? [])].sort((a, b) => a - b) : [finalEpoch];
    if (epochs.length === 0) throw new StudyBuildError(`${name}: a baseline needs at least one checkpoint`, at);
    if (role === 'baseline' && (train === null || options.reweight))
      throw new StudyBuildError(`${name}: a baseline trains from scratch and does not reweight`, at);

    const sweepSelect =
      train && recipe && options.sweep
        ? this.sweep(
            name,
            options.sweep,
            { model, recipe, train, backbone, strategy, head, initModel: initModel(0), limit, balancedBy, objective },
            at,
          )
        : null;
    const finals: string[] = [];
    const evaluated: EvaluatedModel[] = [];
    for (let copy = 0; copy < copies; copy++) {
      let final = initModel(copy);
      if (train && recipe) {
        const spec: TrainJobSpec = {
          model,
          recipe: swept(recipe, options.sweep),
          strategy,
          head,
          hasInit: initModel(copy) !== null,
          checkpoints: role === 'baseline' ? epochs.filter((epoch) => epoch !== finalEpoch) : [],
          seed: this.seed('train', copy),
          limit,
          balancedBy,
          sweepParam: options.sweep?.param ?? null,
          ...objectiveField(objective),
        };
        const deps = [
          this.dataOf(backbone, train, 'train', at),
          ...(final ? [final] : []),
          ...(sweepSelect ? [sweepSelect] : []),
        ];
        final = this.add(
          {
            id: `train:${name}#${copy}`,
            kind: 'train',
            spec: json(spec),
            deps,
            source: at,
            ...this.trainInputs(spec, at),
            cost: trainingCost(capped(train.sizes.train, limit), recipe.epochs),
            labels: { group: name, copy },
          },
          at,
        );
      }
      if (options.reweight) {
        const { distribution, split, balancedBy: by, C, subsets } = options.reweight;
        const spec: ReweightJobSpec = { split, balancedBy: by, seed: this.seed('reweight', copy), C, subsets };
        // A DFR fit straight on a frozen backbone has no model to start from: a new linear head.
        if (final === null) spec.linear = true;
        final = this.add(
          {
            id: `reweight:${name}#${copy}`,
            kind: 'reweight',
            spec: json(spec),
            deps: [...(final ? [final] : []), this.dataOf(backbone, distribution, split, at)],
            source: at,
            labels: { group: name, copy },
          },
          at,
        );
      }
      finals.push(final!);
      if (role === 'arm') {
        evaluated.push({ name: `${name}.copy${copy}`, key: `${name}#${copy}`, jobId: final!, copy });
        continue;
      }
      for (const epoch of epochs) {
        const jobId =
          epoch === finalEpoch
            ? final!
            : this.add(
                {
                  id: `checkpoint:${name}#${copy}@${epoch}`,
                  kind: 'checkpoint',
                  spec: json({ epoch } satisfies CheckpointJobSpec),
                  deps: [final!],
                  source: at,
                  labels: { group: name, copy, epoch },
                },
                at,
              );
        evaluated.push({
          name: `${name}.copy${copy}.epoch${epoch}`,
          key: `${name}#${copy}@${epoch}`,
          jobId,
          copy,
          epoch,
        });
      }
    }
    return { kind: 'group', name, role, model, backbone, copies, finals, evaluated, finalEpoch };
  }

  /** One training run per candidate value (seeded alike), scored on the select split; returns the sweep-select job. */
  private sweep(
    name: string,
    sweep: SweepArgs,
    base: {
      model: ModelSpec;
      recipe: RecipeSpec;
      train: DistributionHandle;
      backbone: BackboneHandle | null;
      strategy: Strategy;
      head: 'new' | 'keep';
      initModel: string | null;
      limit: number | null;
      balancedBy: string[] | null;
      objective: ObjectiveSpec | null;
    },
    at?: SourceRef,
  ): string {
    const { metric, distribution, split } = sweep.select;
    const groups = sweep.select.groups;
    const scores = sweep.values.map((value) => {
      const recipe: RecipeSpec = { ...base.recipe, [sweep.param]: value };
      const spec: TrainJobSpec = {
        model: base.model,
        recipe,
        strategy: base.strategy,
        head: base.head,
        hasInit: base.initModel !== null,
        checkpoints: [],
        seed: sweepCandidateSeed(this.info.seed),
        limit: base.limit,
        balancedBy: base.balancedBy,
        sweepParam: null,
        ...objectiveField(base.objective),
      };
      const key = `${name}@${sweep.param}=${value}`;
      const trained = this.add(
        {
          id: `train:${key}`,
          kind: 'train',
          spec: json(spec),
          deps: [this.dataOf(base.backbone, base.train, 'train', at), ...(base.initModel ? [base.initModel] : [])],
          source: at,
          ...this.trainInputs(spec, at),
          cost: trainingCost(capped(base.train.sizes.train, base.limit), recipe.epochs),
          labels: { group: name, candidate: value },
        },
        at,
      );
      const labels = { model: `${name}.${sweep.param}=${value}`, group: name, candidate: value };
      const where: Evaluation = { distribution, backbone: base.backbone, split, part: null };
      return this.evaluate({ key, jobId: trained, labels }, where, [metric], groups, at);
    });
    const spec: SweepSelectJobSpec = { param: sweep.param, values: sweep.values, metric };
    return this.add(
      {
        id: `sweep-select:${name}`,
        kind: 'sweep-select',
        spec: json(spec),
        deps: scores,
        source: at,
        labels: { group: name },
      },
      at,
    );
  }

  // ---------------------------------------------------------------- evaluation

  /** What a metric call measures: each copy's final model (a baseline's at its last epoch), or a pretrain. */
  private finalModels(model: GroupHandle | PretrainHandle): { key: string; jobId: string; labels: ModelLabels }[] {
    if (model.kind === 'pretrain')
      return [{ key: model.name, jobId: model.jobId, labels: { model: model.name, group: model.name } }];
    return model.finals.map((jobId, copy) => {
      // The names a comparison gives the same models, so a metric it already planned is found by its id.
      if (model.role === 'arm')
        return {
          key: `${model.name}#${copy}`,
          jobId,
          labels: { model: `${model.name}.copy${copy}`, group: model.name, copy },
        };
      const epoch = model.finalEpoch;
      return {
        key: `${model.name}#${copy}@${epoch}`,
        jobId,
        labels: { model: `${model.name}.copy${copy}.epoch${epoch}`, group: model.name, copy, epoch },
      };
    });
  }

  /**
   * The metric job measuring `metric` of a model on a split: the one already planned (a comparison's, the same
   * hash) when it computes that metric, else one of its own. Never merged into a planned one: that would change
   * the hash of a comparison's job when a claim is added.
   */
  private measure(
    model: { key: string; jobId: string; labels: ModelLabels },
    where: Evaluation,
    metric: Metric,
    groups: string[],
    at?: SourceRef,
  ): string {
    const shared = metricJobId(model.key, where, groups);
    const planned = this.drafts.get(shared);
    if (planned?.kind === 'metric' && (planned.spec as unknown as MetricJobSpec).metrics.includes(metric))
      return planned.id;
    return this.evaluate(model, where, [metric], groups, at, planned ? ` (${metric})` : '');
  }

  private metricOf(
    model: EvaluatedModel,
    group: GroupHandle,
    where: Evaluation,
    metric: Metric,
    groups: string[],
    at?: SourceRef,
  ): string {
    return this.evaluate(
      { key: model.key, jobId: model.jobId, labels: modelLabels(model, group) },
      where,
      [metric],
      groups,
      at,
    );
  }

  /** The predict job of one model on one split (or part). */
  private predictionsOf(
    model: { key: string; jobId: string; labels: ModelLabels },
    where: Evaluation,
    at?: SourceRef,
  ): string {
    const { distribution, split, part } = where;
    const predictSpec: PredictJobSpec = { split, part: part?.part ?? null };
    return this.add(
      {
        id: `predict:${model.key} on ${evaluationName(where)}`,
        kind: 'predict',
        spec: json(predictSpec),
        deps: [model.jobId, this.dataOf(where.backbone, distribution, split, at), ...(part ? [part.split.jobId] : [])],
        source: at,
        labels: evaluationLabels(model.labels, where),
      },
      at,
    );
  }

  /** predict + metric of one model on one split (or part); returns the metric job. Requests for other
   *  metrics of the same predictions and groups merge into one metric job. */
  private evaluate(
    model: { key: string; jobId: string; labels: ModelLabels },
    where: Evaluation,
    metrics: Metric[],
    groups: string[],
    at?: SourceRef,
    idSuffix = '',
  ): string {
    const { distribution, split, part } = where;
    const data = this.dataOf(where.backbone, distribution, split, at);
    const partDeps = part ? [part.split.jobId] : [];
    const predict = this.predictionsOf(model, where, at);
    const labels = evaluationLabels(model.labels, where);
    const metricSpec: MetricJobSpec = { metrics, groups, split, part: part?.part ?? null };
    return this.add(
      {
        id: `${metricJobId(model.key, where, groups)}${idSuffix}`,
        kind: 'metric',
        spec: json(metricSpec),
        deps: [predict, data, ...partDeps],
        source: at,
        labels,
      },
      at,
    );
  }

  // ---------------------------------------------------------------- frozen features

  /**
   * The job whose artifacts hold what a model reads of one distribution split: the transform itself, or,
   * over a frozen backbone, that backbone's `features` job for the split (one per backbone and split, shared
   * by every probe, reweighting, candidate and copy: same id, same job).
   */
  private dataOf(
    backbone: BackboneHandle | null,
    distribution: DistributionHandle,
    split: SplitName,
    at?: SourceRef,
  ): string {
    if (!backbone) return distribution.jobId;
    const spec: FeaturesJobSpec = { backbone: backbone.spec, split };
    const size = distribution.sizes[split];
    return this.add(
      {
        id: `features:${backbone.name} on ${distribution.name}.${split}`,
        kind: 'features',
        spec: json(spec),
        deps: [distribution.jobId],
        source: at,
        ...this.inputs(this.backboneInputs(backbone), at),
        ...(size === null ? {} : { cost: { samples: size, epochs: 1 } }),
        labels: { backbone: backbone.name, distribution: distribution.name, split },
      },
      at,
    );
  }

  // ---------------------------------------------------------------- input files

  /** A draft's `inputs` field: each file's content digest, or nothing when it reads no user file. */
  private inputs(files: InputFile[], at?: SourceRef): { inputs?: InputDigest[] } {
    if (files.length === 0) return {};
    const inputs = files.map((file) => ({ path: displayPath(file.path, this.dir), sha256: this.digest(file, at) }));
    return { inputs };
  }

  /** A file's sha256, looked at (stat, and the memo or its bytes) once per plan however many jobs read it. */
  private digest(file: InputFile, at?: SourceRef): string {
    const known = this.digested.get(file.path);
    if (known !== undefined) return known;
    try {
      const { sha256 } = this.digests.digestSync(file.path);
      this.digested.set(file.path, sha256);
      return sha256;
    } catch (error) {
      if (error instanceof InputFileError) throw new StudyBuildError(error.message, at);
      throw error;
    }
  }

  /** A backbone's input files, listed once per plan (a graph or layers model.json is parsed for its shards). */
  private backboneInputs(backbone: BackboneHandle): InputFile[] {
    let files = this.backboneFiles.get(backbone);
    if (!files) this.backboneFiles.set(backbone, (files = backboneInputFiles(backbone.spec, this.dir)));
    return files;
  }

  private modelInputs(model: ModelSpec, at?: SourceRef): { inputs?: InputDigest[] } {
    return this.inputs(modelInputFiles(model, this.dir), at);
  }

  /** A train job reads its model's files only when it builds the model from its spec (no init). */
  private trainInputs(spec: TrainJobSpec, at?: SourceRef): { inputs?: InputDigest[] } {
    return spec.strategy === 'scratch' ? this.modelInputs(spec.model, at) : {};
  }

  // ---------------------------------------------------------------- bookkeeping

  private seed(...purpose: (string | number)[]): number {
    return deriveSeed(this.info.seed, ...purpose);
  }

  private declare(name: string, what: string, at?: SourceRef): void {
    const previous = this.names.get(name);
    if (previous) throw new StudyBuildError(`${what} ${name}: the name is already used by a ${previous}`, at);
    this.names.set(name, what);
  }

  /** Adds a job, or returns the existing one with that id when it is the same job. */
  private add(draft: Draft, at?: SourceRef): string {
    for (const dep of draft.deps)
      if (!this.drafts.has(dep)) throw new StudyBuildError(`job ${draft.id} depends on unknown job ${dep}`, at);
    const existing = this.drafts.get(draft.id);
    if (!existing) {
      this.drafts.set(draft.id, draft);
      return draft.id;
    }
    if (existing.kind === 'metric' && draft.kind === 'metric') mergeMetrics(existing, draft);
    if (
      canonicalJson([existing.kind, existing.spec, existing.deps]) !==
      canonicalJson([draft.kind, draft.spec, draft.deps])
    ) {
      throw new StudyBuildError(`job ${draft.id} is defined twice with different content`, at);
    }
    return existing.id;
  }
}

function modelLabels(model: EvaluatedModel, group: GroupHandle): ModelLabels {
  const labels: ModelLabels = { model: model.name, group: group.name, copy: model.copy };
  if (model.epoch !== undefined) labels.epoch = model.epoch;
  return labels;
}

function evaluationLabels(model: ModelLabels, { distribution, split, part }: Evaluation): EvaluationLabels {
  return {
    ...model,
    distribution: part ? part.split.name : distribution.name,
    split,
    ...(part ? { part: part.part } : {}),
  };
}

/** `reference.test`, or `parts.in_support` for a support-split part. */
function evaluationName({ distribution, split, part }: Evaluation): string {
  return part ? `${part.split.name}.${part.part}` : `${distribution.name}.${split}`;
}

/** `metric:ft#0 on reference.test`, with ` by label+tint` when the groups are not just the label. */
function metricJobId(key: string, where: Evaluation, groups: string[]): string {
  const grouping = groups.join('+') === 'label' ? '' : ` by ${groups.join('+')}`;
  return `metric:${key} on ${evaluationName(where)}${grouping}`;
}

/** Metric jobs on the same predictions and groups compute the union of the metrics asked for. */
function mergeMetrics(existing: Draft, draft: Draft): void {
  const old = existing.spec as unknown as MetricJobSpec;
  const extra = draft.spec as unknown as MetricJobSpec;
  if (
    canonicalJson([old.groups, old.split, old.part, existing.deps]) !==
    canonicalJson([extra.groups, extra.split, extra.part, draft.deps])
  )
    return;
  const merged: MetricJobSpec = { ...old, metrics: [...new Set([...old.metrics, ...extra.metrics])].sort() };
  existing.spec = json(merged);
  draft.spec = existing.spec;
}

/**
 * A swept copy's recipe: the swept field comes from the sweep-select choice, so the value written in the
 * recipe is replaced by the first candidate (changing it must not retrain anything).
 */
function swept(recipe: RecipeSpec, sweep: SweepArgs | null | undefined): RecipeSpec {
  return sweep ? { ...recipe, [sweep.param]: sweep.values[0] } : recipe;
}

/** ERM leaves the field out, so the train jobs of studies without objectives keep their hashes. */
function objectiveField(objective: ObjectiveSpec | null): Pick<TrainJobSpec, 'objective'> {
  return objective ? { objective } : {};
}

function trainingCost(samples: number | null, epochs: number): JobCost {
  return { samples: samples ?? 0, epochs };
}
