// What each job kind's `spec` holds, the order of its `deps`, and the artifacts it leaves in its cache
// entry. This file is the contract between the study builder (which creates jobs) and the handlers
// (which run them). Specs hold content only — never declaration names — so renaming a declaration or
// moving it in the file leaves every hash unchanged; names live in job ids and in `Job.labels`.
import type { ArmInterval, BaselinePoints } from '../analysis/comparison.ts';
import type { SplitName } from '../data/dataset.ts';
import type { SourceSpec } from '../data/sources/index.ts';
import type { TransformSpec } from '../data/specs.ts';
import type { BackboneSpec } from '../models/frozen/kinds.ts';
import type { ModelSpec } from '../models/spec.ts';
import type { Metric } from '../eval/metrics.ts';
import type { ExpectFunctionName } from '../expect/functions.ts';
import { deriveSeed } from '../random.ts';
import type { ObjectiveSpec } from '../train/objectives/index.ts';
import type { RecipeSpec } from '../train/recipe.ts';

export type { Metric, SplitName };

/** The two parts of a support split, which are also the shift kinds. */
export const SUPPORT_PARTS = ['in_support', 'out_of_support'] as const;
export type SupportPart = (typeof SUPPORT_PARTS)[number];
export type Strategy = 'scratch' | 'ft' | 'lp' | 'lp_ft';
export type Scale = 'probit' | 'logit';
export type { ArmInterval, BaselinePoints };

/** Artifact layout shared by every job that produces a model: `model/` as written by `saveModel`. */
export const MODEL_DIR = 'model';

/**
 * `load`: read a data source. deps: none.
 * Artifacts: `train/`, `test/` (writeDataset), and `val/` when the source names each example's split.
 */
export interface LoadJobSpec {
  source: SourceSpec;
  seed: number;
}

/**
 * `transform`: carve `val` out of the source's train part, then apply the chain to every split. Each stage's
 * randomness derives from the seed and the chain up to that stage, so distributions sharing a prefix
 * (`reference` and `reference | vflip`) see the same colours, flips and samples for that prefix.
 * deps: [load]. Artifacts: `train/`, `val/`, `test/`.
 */
export interface TransformJobSpec {
  transforms: TransformSpec[];
  /** Fraction of the source's train part held out as `val`. */
  val: number;
  seed: number;
}

/**
 * `features`: a frozen backbone's features of one distribution split, computed once and read by every linear
 * probe, DFR fit, sweep candidate, copy and support-split classifier over that backbone: they train and
 * evaluate on this dataset (inputs = feature vectors; labels and recorded attributes as in the split).
 * deps: [transform]. Artifacts: `<split>/` (writeDataset), so readers address it like a transform's split.
 */
export interface FeaturesJobSpec {
  backbone: BackboneSpec;
  split: SplitName;
}

/**
 * `pretrain`: train a model from scratch on a broad distribution, to be reused as an initialisation.
 * deps: [transform]. Artifacts: `model/`.
 */
export interface PretrainJobSpec {
  model: ModelSpec;
  recipe: RecipeSpec;
  seed: number;
}

/**
 * `train`: one copy of a baseline or arm (or one sweep candidate).
 * deps: [transform (training data), init model job? (when `init`), sweep-select? (when `sweep`)], in that order.
 * A linear probe over a frozen backbone is a linear head (`mlp { hidden [] }`) trained from scratch with the
 * `features` job of the training split in place of the transform.
 * Artifacts: `model/` (final weights) and `checkpoints/epoch-N/` for every epoch in `checkpoints`.
 */
export interface TrainJobSpec {
  model: ModelSpec;
  recipe: RecipeSpec;
  strategy: Strategy;
  /** Whether the init's head is kept or replaced; ignored for `scratch`. */
  head: 'new' | 'keep';
  hasInit: boolean;
  /** Epochs whose weights are saved as checkpoints (the final epoch is always `model/`). */
  checkpoints: number[];
  /** Per-copy seed (derived from the study seed and the copy index). */
  seed: number;
  limit: number | null;
  balancedBy: string[] | null;
  /** Set on the copies of a swept arm: the recipe field to take from the sweep-select dep's choice. */
  sweepParam: keyof RecipeSpec | null;
  /** A group-robust objective (runtime/train/objectives); absent for ERM, so ERM jobs hash as they always did. */
  objective?: ObjectiveSpec;
}

/**
 * The seed every sweep candidate of a study trains with (candidates differ by their recipe, not their seed).
 * It is how the `train` handler tells a candidate from a copy: by hashed content, never by a label.
 */
export function sweepCandidateSeed(studySeed: number): number {
  return deriveSeed(studySeed, 'sweep');
}

/** Whether a `train` job is a sweep candidate of the study that planned it. */
export function isSweepCandidate(
  spec: Pick<TrainJobSpec, 'seed' | 'sweepParam' | 'checkpoints'>,
  studySeed: number,
): boolean {
  return spec.seed === sweepCandidateSeed(studySeed) && spec.sweepParam === null && spec.checkpoints.length === 0;
}

/**
 * `checkpoint`: expose one epoch of a training run as a model of its own.
 * deps: [train]. Artifacts: `model/`.
 */
export interface CheckpointJobSpec {
  epoch: number;
}

/**
 * `sweep-select`: pick the candidate with the best score.
 * deps: one `metric` job per candidate, in `values` order. Artifacts: `choice.json` ({ param, value, scores }).
 */
export interface SweepSelectJobSpec {
  param: keyof RecipeSpec;
  values: number[];
  metric: Metric;
}

/**
 * `reweight`: deep feature reweighting of the last layer on a held-out split (runtime/interventions/dfr.ts).
 * deps: [model job, transform (the split's distribution)]; with `linear`, only [features (the split)].
 * Artifacts: `model/`, `dfr.json` (DfrReport).
 */
export interface ReweightJobSpec {
  split: SplitName;
  balancedBy: string[];
  seed: number;
  /** Set (true) when there is no model to reweight: DFR fits a linear head over a frozen backbone's features. */
  linear?: boolean;
  /** sklearn's C; several are candidates chosen on a held-out half of the split. */
  C: number[];
  /** 0: one group-weighted fit; k: the mean of k fits on group-balanced subsets. */
  subsets: number;
}

/** The DFR report a `reweight` job leaves beside its model. */
export const DFR_REPORT_FILE = 'dfr.json';

/**
 * `predict`: class probabilities of a model on one split (or one support-split part of it).
 * deps: [model job, transform, support-split? (when `part`)]. Artifacts: `predictions.bin` (float32,
 * size × classes) and `predictions.json` ({ size, classes }).
 */
export interface PredictJobSpec {
  split: SplitName;
  part: SupportPart | null;
}

/**
 * `metric`: metrics of one prediction set.
 * deps: [predict, transform, support-split? (when `part`)]. Artifacts: `metrics.json`
 * ({ values: { metric: number }, count: N }).
 */
export interface MetricJobSpec {
  metrics: Metric[];
  /** Group attributes for worst-group accuracy. */
  groups: string[];
  split: SplitName;
  part: SupportPart | null;
}

/**
 * `fit-baseline`: the probit/logit line through the baseline's points.
 * deps: pairs of `metric` jobs, [reference₀, shifted₀, reference₁, shifted₁, …]. Artifacts: `fit.json`.
 */
export interface FitBaselineJobSpec {
  metric: Metric;
  scale: Scale;
  /** `mean_of_copies`: pairs of the same epoch (copies of one checkpoint) average into one point. */
  points: BaselinePoints;
  /** The checkpoint epoch of each (reference, shifted) pair, in dep order. */
  epochs: number[];
}

/**
 * `effective-robustness`: an arm's ER against the fitted line, per copy and aggregated.
 * deps: [fit-baseline, reference₀, shifted₀, reference₁, shifted₁, …] (metric jobs, one pair per copy).
 * Artifacts: `effective-robustness.json`.
 */
export interface EffectiveRobustnessJobSpec {
  metric: Metric;
  scale: Scale;
  /** Confidence level as a fraction (0.95). */
  interval: number;
  intervalRule: ArmInterval;
}

/**
 * `support-split`: divide the shifted distribution's test split into in-support and out-of-support parts
 * with a cross-fitted, temperature-calibrated domain classifier trained on the reference's `source` split
 * against the shifted test split.
 * deps: [transform (reference), transform (shifted), pretrain? (when `hasInit`)]. Artifacts: `parts.json`
 * ({ inSupport: number[], outOfSupport: number[], auroc, sweep, candidates, ... } — indices into the shifted
 * test split).
 */
export interface SupportSplitJobSpec {
  classifier: ModelSpec;
  recipe: RecipeSpec;
  folds: number;
  threshold: number;
  seed: number;
  /** The reference's split the classifier reads (default train: disjoint from the evaluated test split). */
  source: SplitName;
  /** Whether the classifier is fine-tuned from a pre-trained model (the third dep) instead of trained anew. */
  hasInit: boolean;
  /** Candidate values of a recipe field, each cross-fitted; the best held-out AUROC wins. Null: the recipe's. */
  sweep: { param: keyof RecipeSpec; values: number[] } | null;
  /** Values of ε whose part sizes are reported besides `threshold`'s (the paper's code sweeps ε). */
  epsilons: number[];
}

/**
 * `support-sweep`: a comparison's ER on both parts of a support split at every swept ε (the split's threshold and
 * `epsilons`). Each model is predicted once on the whole shifted test split; each ε's parts are subsets of it.
 * deps: [support-split, transform (shifted), then one (reference metric, shifted test predict) pair per model:
 * the baseline's evaluated models, then each arm's copies]. Artifacts: `support-sweep.json` (SupportSweepRow[]
 * with arms keyed by position; a non-finite number is written as null).
 */
export interface SupportSweepJobSpec {
  metric: Metric;
  scale: Scale;
  interval: number;
  intervalRule: ArmInterval;
  points: BaselinePoints;
  groups: string[];
  /** The checkpoint epoch of each baseline pair, in dep order (copies of one checkpoint share a point). */
  epochs: number[];
  /** How many copies each arm has, in dep order. */
  armCopies: number[];
  /** Ascending, the threshold included. */
  epsilons: number[];
}

/** An `expect` expression as plain data (the runtime cannot read the grammar's AST). */
export type ExpectExpression =
  | { op: '>' | '>=' | '<' | '<=' | '==' | '+' | '-'; left: ExpectExpression; right: ExpectExpression }
  | { op: 'neg'; operand: ExpectExpression }
  /** A function of runtime/expect/functions.ts. */
  | { op: ExpectFunctionName; args: ExpectExpression[] }
  | { op: 'number'; value: number }
  /** The aggregated ER of the `index`-th `effective-robustness` dep. */
  | { op: 'result'; index: number; path: string }
  /** `metric` as the `index`-th dep (a `metric` job: one copy of a model on one split) measured it; it stands
   *  in the args of the metric's function node, which averages the copies. */
  | { op: 'metric'; index: number; metric: Metric };

/**
 * `expect`: evaluate a claim over comparison results and metrics of trained models.
 * deps: the `effective-robustness` jobs its paths name, then (in the claim's order) the `metric` jobs of each
 * copy of each model a metric call names. Artifacts: `expectation.json` ({ value, passed }).
 */
export interface ExpectJobSpec {
  expression: ExpectExpression;
}
