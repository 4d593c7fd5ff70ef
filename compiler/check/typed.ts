// The typed study: what the checker hands to the planner. It is the study after name resolution,
// with every default applied, every reference replaced by the typed object it names (a group holds its
// TypedModel, a compare its arm and baseline groups, a shift its two distributions), and transform chains
// flattened through referenced distributions. References only point back at earlier declarations (the
// checker rejects init and distribution cycles), so the object graph is acyclic; a reader that needs plain
// data (the differ) names a reference by its `name`.
//
// Spec types are the runtime's own (SourceSpec, TransformSpec, ModelSpec, RecipeSpec, SplitName): a compiled
// script needs them without the compiler, and the planner passes them to the runtime unchanged.
// Hashing: a `*Spec` object holds only normalised numbers, strings and arrays, so the planner can hash it
// as is. `span` fields sit beside specs, never inside them, so moving a declaration never changes a hash.

import type { Expression, FunctionCall, ListValue, Span } from '../../grammar/ast.ts';
import type { SourceKind, SourceSpec } from '../../runtime/data/sources/index.ts';
import type { ParamValue, Params, TransformSpec } from '../../runtime/data/specs.ts';
import type { Metric } from '../../runtime/eval/metrics.ts';
import type { ArmInterval, BaselinePoints, Scale, SplitName, Strategy, SupportPart } from '../../runtime/jobs/specs.ts';
import type { BackboneSpec } from '../../runtime/models/frozen/kinds.ts';
import type { ModelSpec } from '../../runtime/models/spec.ts';
import type { ObjectiveSpec } from '../../runtime/train/objectives/index.ts';
import type { RecipeSpec } from '../../runtime/train/recipe.ts';

export type {
  ArmInterval,
  BackboneSpec,
  BaselinePoints,
  ModelSpec,
  ObjectiveSpec,
  ParamValue,
  Params,
  Scale,
  SourceKind,
  SourceSpec,
  SplitName,
  Strategy,
  TransformSpec,
};

export type ShiftKind = SupportPart;

/** What one example looks like, as far as the checker can tell before loading anything. */
export type InputShape =
  | { kind: 'image'; height: number; width: number; channels: number }
  | { kind: 'vector'; dim: number }
  | { kind: 'unknown' }; // idx/csv files: known only when read

// ---------------------------------------------------------------- data

export interface TypedDataSource {
  name: string;
  /** Every attribute but `val` with its default: train, test, plus source-specific ones
   *  (gaussian: dim, classes, rank, separation; idx: images, labels; csv: path, label). */
  spec: SourceSpec;
  /** Fraction of the train part held out as the `val` split. */
  val: number;
  shape: InputShape;
  /** Number of classes, or null when only the file can tell (idx, csv). */
  classes: number | null;
  /** Per-example attributes the source records besides `label` (an image folder's `attributes`). */
  records: string[];
  span: Span;
}

export interface TypedTransform {
  /** Every parameter with its default filled in; positional forms are named
   *  (`limit 500` → { n: 500 }, `balanced_by [label, tint]` → { attributes: ['label', 'tint'] },
   *  `class_rates [..]` → { rates: [..] }). */
  spec: TransformSpec;
  span: Span;
}

/** A distribution: one data source passed through transforms, left to right. */
export interface TypedDistribution {
  /** The declared name, or `<owner>.<attribute>` for an inline chain (`broad.data`). */
  name: string;
  /** True for an inline chain written inside a pretrain/baseline/arm. */
  anonymous: boolean;
  /** The root data source. */
  data: TypedDataSource;
  /** Flattened through referenced distributions, in application order. */
  transforms: TypedTransform[];
  /** Shape of an example after the transforms (a tint makes an image 3-channel). */
  shape: InputShape;
  classes: number | null;
  /** Per-example attributes available for groups / balanced_by: always `label`, plus what transforms record. */
  attributes: string[];
  span: Span;
}

export interface TypedShift {
  name: string;
  /** As declared. */
  kind: ShiftKind;
  /** Inferred from the two transform chains. */
  inferredKind: ShiftKind;
  from: TypedDistribution;
  to: TypedDistribution;
  span: Span;
}

// ---------------------------------------------------------------- models and training

export type Architecture = ModelSpec['kind'] | BackboneSpec['kind'];

export interface TypedModel {
  name: string;
  /** Every parameter with its default filled in; a `load` path as written (relative to the study). A frozen
   *  backbone (`onnx`, `graph`) has a BackboneSpec: the checker lets it be only an init or a classifier. */
  spec: ModelSpec | BackboneSpec;
  span: Span;
}

/** Recipe fields match the runtime's, so a plan's recipe passes through unchanged. */
export type { RecipeSpec };

export interface TypedRecipe {
  name: string;
  spec: RecipeSpec;
  span: Span;
}

export interface TypedPretrain {
  name: string;
  model: TypedModel;
  data: TypedDistribution;
  /** The named recipe with any inline overrides applied. */
  recipe: RecipeSpec;
  recipeName: string;
  span: Span;
}

/** Where a group's weights start: a pretrain, the final models of an earlier baseline or arm, or a frozen
 *  backbone (whose features a linear head is fitted on). */
export type InitRef =
  | { kind: 'pretrain'; pretrain: TypedPretrain }
  | { kind: 'group'; group: TypedTrainingGroup }
  | { kind: 'backbone'; model: TypedModel };

/** A model with trained weights of its own (a metric call measures one; a frozen backbone has no head). */
export type TrainedRef = Exclude<InitRef, { kind: 'backbone' }>;

export interface SweepSpec {
  /** A recipe field, e.g. `lr`. */
  param: keyof RecipeSpec;
  values: number[];
  select: {
    metric: Metric;
    distribution: TypedDistribution;
    split: SplitName;
    /** Group attributes for worst-group metrics: [label, aligned] when the distribution carries `aligned`. */
    groups: string[];
  };
}

export interface ReweightSpec {
  /** Only `last_layer` for now (deep feature reweighting). */
  layer: 'last_layer';
  distribution: TypedDistribution;
  split: SplitName;
  balancedBy: string[];
  /** The `{ C …, subsets … }` options with their defaults (runtime/interventions/dfr-options.ts's DFR_OPTIONS). */
  C: number[];
  subsets: number;
}

/** A baseline (trained from scratch: the line) or an arm (judged against it). */
export interface TypedTrainingGroup {
  name: string;
  role: 'baseline' | 'arm';
  /** The architecture: as written, else inherited from `init`. */
  model: TypedModel;
  init: InitRef | null;
  /** `scratch` when there is no init; `ft` is the default with one. */
  strategy: Strategy;
  /** Resolved: `keep` when the initial head's class count matches the training data, else `new`,
   *  unless written. */
  head: 'new' | 'keep';
  /** Null for an arm that only reweights its init (no training step). */
  train: TypedDistribution | null;
  /** Null exactly when `train` is null. */
  recipe: RecipeSpec | null;
  recipeName: string | null;
  /** Epochs whose checkpoints are evaluated; defaults to the final epoch only. */
  checkpoints: number[];
  /** Independent copies (seeds). Defaults to the init group's copies (pairing by index), else 1. */
  copies: number;
  /** A baseline's points: the mean of each checkpoint's copies (the paper's rule), or one per copy. */
  points: BaselinePoints;
  sweep: SweepSpec | null;
  reweight: ReweightSpec | null;
  /** `objective group_dro { … }` with every parameter defaulted (groups from the training data); null: ERM. */
  objective: ObjectiveSpec | null;
  /** Train on at most this many examples (after balanced_by sampling). */
  limit: number | null;
  balancedBy: string[] | null;
  span: Span;
}

// ---------------------------------------------------------------- analysis

export type { Metric };

/** One shift a comparison reports on: a declared shift, or one part of a support split. */
export interface CompareTarget {
  /** How results name it: `flip`, or `parts.in_support`. */
  label: string;
  shift: TypedShift;
  /** Set for a support-split part. */
  split: { split: TypedSplit; part: ShiftKind } | null;
}

export interface TypedCompare {
  name: string;
  arms: TypedTrainingGroup[];
  baseline: TypedTrainingGroup;
  shifts: CompareTarget[];
  metric: Metric;
  scale: Scale;
  /** Confidence level as a fraction (95% → 0.95). */
  interval: number;
  /** `regression`: the line's interval at the copies' mean accuracies (the paper's rule); `copies`: the
   *  copies' spread of ER (`interval copies`). */
  intervalRule: ArmInterval;
  /** Group attributes for worst-group metrics: as written, else [label, aligned] when the data carries
   *  `aligned`, else [label]. */
  groups: string[];
  span: Span;
}

export interface TypedSplit {
  name: string;
  shift: TypedShift;
  /** The domain classifier's architecture (a pretrain's model, when it is fine-tuned from `init`). */
  classifier: TypedModel;
  /** The pretrain the classifier is fine-tuned from (`classifier PRETRAIN`); null trains `classifier` anew. */
  init: TypedPretrain | null;
  /** The reference's split the classifier trains on (default train: disjoint from the evaluated test split). */
  source: SplitName;
  /** `sweep lr [..] select auroc`: candidate values chosen by held-out AUROC. */
  sweep: { param: keyof RecipeSpec; values: number[] } | null;
  /** Values of ε whose part sizes are reported (default: the paper's grid). */
  epsilons: number[];
  folds: number;
  /** ε: an example is out-of-support when its density ratio r ≥ 1/ε. */
  threshold: number;
  /** The classifier's recipe with overrides applied; null leaves the runtime's default. */
  recipe: RecipeSpec | null;
  span: Span;
}

/** One comparison result an expectation reads: `compare.arm.shift` (shift may be `split.part`). */
export interface ResultPath {
  compare: string;
  arm: string;
  /** A CompareTarget label. */
  target: string;
  span: Span;
}

/** A metric call of an expectation: `worst_group_accuracy(dfr, shifted.test, by [label, tint])`. */
export interface TypedMetricCall {
  call: FunctionCall;
  metric: Metric;
  /** An arm's or baseline's copies (at their final epoch), or a pretrain. */
  model: TrainedRef;
  /** The measured distribution: for a support split's part, the shift's shifted side (its test split). */
  distribution: TypedDistribution;
  split: SplitName;
  /** `accuracy(ft, parts.in_support)`: the part of the support split measured on, else null. */
  part: { split: TypedSplit; part: ShiftKind } | null;
  /** As written in `by [..]`, else the compare rule's default for the measured data. */
  groups: string[];
  /** The `by [..]` list when one is written. */
  by: ListValue | null;
}

export interface TypedExpect {
  expression: Expression;
  paths: ResultPath[];
  /** Its metric calls, in the claim's order. */
  metrics: TypedMetricCall[];
  /** The expression as written in the file. */
  source: string;
  span: Span;
}

export interface TypedStudy {
  name: string;
  title: string | null;
  seed: number;
  file: string;
  data: TypedDataSource[];
  distributions: TypedDistribution[];
  shifts: TypedShift[];
  models: TypedModel[];
  recipes: TypedRecipe[];
  pretrains: TypedPretrain[];
  /** Baselines and arms, in declaration order. */
  groups: TypedTrainingGroup[];
  compares: TypedCompare[];
  splits: TypedSplit[];
  expects: TypedExpect[];
  span: Span;
}
