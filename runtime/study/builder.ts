// The study builder: readable calls (`study.data`, `study.distribution`, `study.baseline`, `study.arm`,
// `study.compare`, `study.expect`) that each return a handle for later calls and create the jobs of
// runtime/jobs/specs.ts. The planner drives it from a checked study, and compiled scripts call it directly,
// so both produce the same plan, job for job and hash for hash.
//
// Specs hold content only (never names), so a rename or a reordering changes no hash; names go into job ids
// and `Job.labels`. Seeds derive from the study seed and a purpose (and copy index), never from a name.
import {
  canonicalJson,
  jobHash,
  planHash,
  PLAN_FORMAT_VERSION,
  type EvaluationLabels,
  type Job,
  type JobCost,
  type JobKind,
  type JobLabelsByKind,
  type JsonValue,
  type Plan,
  type SourceRef,
} from '../plan.ts';
import { deriveSeed } from '../random.ts';
import type { ExpectFunctionName } from '../expect/functions.ts';
import type { SourceSpec, TransformSpec } from '../data/specs.ts';
import type { ModelSpec } from '../models/spec.ts';
import type { ObjectiveSpec } from '../train/objectives/index.ts';
import { recipe as fullRecipe, type RecipeSpec } from '../train/recipe.ts';
import type {
  ArmInterval,
  BaselinePoints,
  CheckpointJobSpec,
  EffectiveRobustnessJobSpec,
  ExpectExpression,
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
  SweepSelectJobSpec,
  TrainJobSpec,
  TransformJobSpec,
} from '../jobs/specs.ts';
import { sweepCandidateSeed } from '../jobs/specs.ts';
import { capped, chainSizes, sourceSizes, type SplitSizes } from './sizes.ts';

/** Recipe of the support split's domain classifier when the study gives none. */
export const SUPPORT_CLASSIFIER_RECIPE: RecipeSpec = fullRecipe({ optimizer: 'adam', lr: 1e-3, batch: 128, epochs: 3 });

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
  readonly copies: number;
  /** Job whose `model/` is each copy's final model (what `init` of this group starts from). */
  readonly finals: readonly string[];
  readonly evaluated: readonly EvaluatedModel[];
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
  /** Where the weights start; null = from scratch. */
  init: PretrainHandle | GroupHandle | null;
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
  /** The classifier's architecture (a pre-trained init's, when `init` is given). */
  classifier: ModelSpec;
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

/** An `expect` claim, as ExpectExpression but naming comparison results instead of dependency indices. */
export type ExpectInput =
  | { op: '>' | '>=' | '<' | '<=' | '==' | '+' | '-'; left: ExpectInput; right: ExpectInput }
  | { op: 'neg'; operand: ExpectInput }
  | { op: ExpectFunctionName; args: ExpectInput[] }
  | { op: 'number'; value: number }
  | { op: 'result'; compare: CompareHandle; arm: string; target: string };

export interface StudyBuilderInfo {
  name: string;
  file: string;
  seed: number;
  title?: string | null;
  /** Full text of the `.study` file (results record it). */
  source?: string;
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
    labels: JobLabelsByKind[K];
  };
}[JobKind];

/** Where a model is evaluated: a distribution's split, or one support-split part of the shifted test split. */
interface Evaluation {
  distribution: DistributionHandle;
  split: SplitName;
  part: { split: SplitHandle; part: SupportPart } | null;
}

const json = (value: unknown): JsonValue => value as JsonValue;

/** The model part of an evaluation's labels. */
type ModelLabels = Pick<EvaluationLabels, 'model' | 'group' | 'copy' | 'epoch' | 'candidate'>;

export class StudyBuilder {
  private readonly drafts = new Map<string, Draft>();
  private readonly names = new Map<string, string>();

  constructor(readonly info: StudyBuilderInfo) {}

  /** `data digits = mnist { train 12000, test 2000 }`: `val` is the fraction of train held out as validation. */
  data(name: string, source: SourceSpec, options: { val: number }, at?: SourceRef): DataHandle {
    this.declare(name, 'data', at);
    const spec: LoadJobSpec = { source, seed: this.seed('load') };
    const jobId = this.add(
      { id: `load:${name}`, kind: 'load', spec: json(spec), deps: [], source: at, labels: { data: name } },
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
        cost: trainingCost(options.data.sizes.train, options.recipe.epochs),
        labels: { pretrain: name },
      },
      at,
    );
    return { kind: 'pretrain', name, jobId, model: options.model };
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
    const spec: SupportSplitJobSpec = {
      classifier: options.classifier,
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
        deps: [from.jobId, to.jobId, ...(options.init ? [options.init.jobId] : [])],
        source: at,
        cost: trainingCost(pooled, recipe.epochs),
        labels: { split: name, shift: options.shift.name ?? `${from.name} -> ${to.name}` },
      },
      at,
    );
    return { kind: 'split', name, jobId, shift: options.shift };
  }

  /** Effective robustness of each arm against the baseline's line, per target shift. */
  compare(name: string, options: CompareArgs, at?: SourceRef): CompareHandle {
    this.declare(name, 'compare', at);
    const { metric, scale, interval, intervalRule, baselinePoints, groups } = options;
    const results = new Map<string, string>();
    for (const target of options.targets) {
      const x: Evaluation = { distribution: target.shift.from, split: 'test', part: null };
      const y: Evaluation = { distribution: target.shift.to, split: 'test', part: target.part ?? null };
      const pairs = (group: GroupHandle) =>
        group.evaluated.flatMap((model) => [
          this.metricOf(model, group, x, metric, groups, at),
          this.metricOf(model, group, y, metric, groups, at),
        ]);
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
          labels: { compare: name, target: target.label },
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
    return { kind: 'compare', name, results };
  }

  /** A claim over comparison results; `text` is the claim as written (for messages and ids). */
  expect(expression: ExpectInput, text: string, at?: SourceRef): void {
    const deps: string[] = [];
    const operands: string[] = [];
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
          if (!deps.includes(job)) {
            deps.push(job);
            operands.push(path);
          }
          return { op: 'result', index: deps.indexOf(job), path: EXPECT_RESULT_FIELD };
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
        labels: { source: text, line: at?.line ?? 0, operands },
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
      );
      hashes.set(draft.id, hash);
      // The draft's kind and labels travel together, so the job keeps their pairing.
      const job = { id: draft.id, kind: draft.kind, spec: draft.spec, deps: draft.deps, hash } as Job;
      if (draft.source) job.source = draft.source;
      if (draft.cost) job.cost = draft.cost;
      job.labels = draft.labels;
      jobs.push(job);
    }
    return {
      formatVersion: PLAN_FORMAT_VERSION,
      study: { name: this.info.name, file: this.info.file, seed: this.info.seed },
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
    const { init, model, train, recipe, strategy, head, copies, limit, balancedBy, objective } = options;
    const initCopies = init?.kind === 'group' ? init.copies : 1;
    const initModel = (copy: number): string | null =>
      init === null ? null : init.kind === 'pretrain' ? init.jobId : init.finals[copy % initCopies];
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
            { model, recipe, train, strategy, head, initModel: initModel(0), limit, balancedBy, objective },
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
          hasInit: init !== null,
          checkpoints: role === 'baseline' ? epochs.filter((epoch) => epoch !== finalEpoch) : [],
          seed: this.seed('train', copy),
          limit,
          balancedBy,
          sweepParam: options.sweep?.param ?? null,
          ...objectiveField(objective),
        };
        const deps = [train.jobId, ...(final ? [final] : []), ...(sweepSelect ? [sweepSelect] : [])];
        final = this.add(
          {
            id: `train:${name}#${copy}`,
            kind: 'train',
            spec: json(spec),
            deps,
            source: at,
            cost: trainingCost(capped(train.sizes.train, limit), recipe.epochs),
            labels: { group: name, copy },
          },
          at,
        );
      }
      if (options.reweight) {
        const { distribution, split, balancedBy: by, C, subsets } = options.reweight;
        const spec: ReweightJobSpec = { split, balancedBy: by, seed: this.seed('reweight', copy), C, subsets };
        final = this.add(
          {
            id: `reweight:${name}#${copy}`,
            kind: 'reweight',
            spec: json(spec),
            deps: [final!, distribution.jobId],
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
    return { kind: 'group', name, role, model, copies, finals, evaluated };
  }

  /** One training run per candidate value (seeded alike), scored on the select split; returns the sweep-select job. */
  private sweep(
    name: string,
    sweep: SweepArgs,
    base: {
      model: ModelSpec;
      recipe: RecipeSpec;
      train: DistributionHandle;
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
          deps: [base.train.jobId, ...(base.initModel ? [base.initModel] : [])],
          source: at,
          cost: trainingCost(capped(base.train.sizes.train, base.limit), recipe.epochs),
          labels: { group: name, candidate: value },
        },
        at,
      );
      const labels = { model: `${name}.${sweep.param}=${value}`, group: name, candidate: value };
      return this.evaluate({ key, jobId: trained, labels }, { distribution, split, part: null }, [metric], groups, at);
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

  private metricOf(
    model: EvaluatedModel,
    group: GroupHandle,
    where: Evaluation,
    metric: Metric,
    groups: string[],
    at?: SourceRef,
  ): string {
    const labels: ModelLabels = { model: model.name, group: group.name, copy: model.copy };
    if (model.epoch !== undefined) labels.epoch = model.epoch;
    return this.evaluate({ key: model.key, jobId: model.jobId, labels }, where, [metric], groups, at);
  }

  /** predict + metric of one model on one split (or part); returns the metric job. Requests for other
   *  metrics of the same predictions and groups merge into one metric job. */
  private evaluate(
    model: { key: string; jobId: string; labels: ModelLabels },
    where: Evaluation,
    metrics: Metric[],
    groups: string[],
    at?: SourceRef,
  ): string {
    const { distribution, split, part } = where;
    const on = part ? `${part.split.name}.${part.part}` : `${distribution.name}.${split}`;
    const partDeps = part ? [part.split.jobId] : [];
    const labels: EvaluationLabels = {
      ...model.labels,
      distribution: part ? part.split.name : distribution.name,
      split,
      ...(part ? { part: part.part } : {}),
    };
    const predictSpec: PredictJobSpec = { split, part: part?.part ?? null };
    const predict = this.add(
      {
        id: `predict:${model.key} on ${on}`,
        kind: 'predict',
        spec: json(predictSpec),
        deps: [model.jobId, distribution.jobId, ...partDeps],
        source: at,
        labels,
      },
      at,
    );
    const grouping = groups.join('+') === 'label' ? '' : ` by ${groups.join('+')}`;
    const metricSpec: MetricJobSpec = { metrics, groups, split, part: part?.part ?? null };
    return this.add(
      {
        id: `metric:${model.key} on ${on}${grouping}`,
        kind: 'metric',
        spec: json(metricSpec),
        deps: [predict, distribution.jobId, ...partDeps],
        source: at,
        labels,
      },
      at,
    );
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
