// The typed study: what the checker hands to the planner. It is the study after name resolution,
// with every default applied, every reference replaced by what it names, and transform chains
// flattened through referenced distributions. It is plain data (JSON-serialisable).
//
// Hashing: a `*Spec` object (TransformSpec, RecipeSpec, ModelSpec, ...) holds only normalised numbers,
// strings and arrays, so the planner can hash it as is. `span` fields sit beside specs, never inside
// them, so moving a declaration in the file never changes a hash.

import type { Expression, Span } from '../../grammar/ast.ts';
import type { Metric } from '../../runtime/eval/metrics.ts';
import type { ArmInterval, BaselinePoints } from '../../runtime/analysis/comparison.ts';
import type { RecipeSpec } from '../../runtime/train/recipe.ts';

export type { ArmInterval, BaselinePoints };

export type ParamValue = number | string | boolean | ParamValue[];
export type Params = { [name: string]: ParamValue };

export type ShiftKind = 'in_support' | 'out_of_support';
export type SplitName = 'train' | 'val' | 'test';

/** What one example looks like, as far as the checker can tell before loading anything. */
export type InputShape =
  | { kind: 'image'; height: number; width: number; channels: number }
  | { kind: 'vector'; dim: number }
  | { kind: 'unknown' }; // idx/csv files: known only when read

// ---------------------------------------------------------------- data

export type SourceKind = 'mnist' | 'fashion_mnist' | 'gaussian' | 'idx' | 'csv';

export interface DataSourceSpec {
  source: SourceKind;
  /** Every attribute with its default: train, test, val (fraction of train), plus source-specific ones
   *  (gaussian: dim, classes, rank, separation; idx: images, labels; csv: path, label). */
  params: Params;
}

export interface TypedDataSource {
  name: string;
  spec: DataSourceSpec;
  shape: InputShape;
  /** Number of classes, or null when only the file can tell (idx, csv). */
  classes: number | null;
  span: Span;
}

export interface TransformSpec {
  /** tint, vflip, hflip, pad, rotate, noise, invert, label_shift, class_rates, limit, balanced_by,
   *  augment, rotate_subspace, resample. */
  kind: string;
  /** Every parameter with its default filled in; positional forms are named
   *  (`limit 500` → { n: 500 }, `balanced_by [label, tint]` → { attributes: ['label', 'tint'] },
   *  `class_rates [..]` → { rates: [..] }). */
  params: Params;
}

export interface TypedTransform {
  spec: TransformSpec;
  span: Span;
}

/** A distribution: one data source passed through transforms, left to right. */
export interface TypedDistribution {
  /** The declared name, or `<owner>.<attribute>` for an inline chain (`broad.data`). */
  name: string;
  /** True for an inline chain written inside a pretrain/baseline/arm. */
  anonymous: boolean;
  /** The root data source's name (a key of TypedStudy.data). */
  data: string;
  /** Flattened through referenced distributions, in application order. */
  transforms: TypedTransform[];
  /** Shape of an example after the transforms (a tint makes an image 3-channel). */
  shape: InputShape;
  classes: number | null;
  /** Per-example attributes available for groups / balanced_by: always `label`, plus what transforms record. */
  attributes: string[];
  span: Span;
}

/** `reference.val`: a split of a declared (or inline) distribution. */
export interface DistributionSplitRef {
  distribution: string;
  split: SplitName;
  span: Span;
}

export interface TypedShift {
  name: string;
  /** As declared. */
  kind: ShiftKind;
  /** Inferred from the two transform chains. */
  inferredKind: ShiftKind;
  from: string;
  to: string;
  span: Span;
}

// ---------------------------------------------------------------- models and training

export type Architecture = 'mlp' | 'convnet' | 'resnet' | 'load';

export interface ModelSpec {
  architecture: Architecture;
  /** mlp: { hidden: number[] }; convnet: { channels: number[], dense: number };
   *  resnet: { blocks: number, width: number }; load: { path: string } (resolved relative to the study). */
  params: Params;
}

export interface TypedModel {
  name: string;
  spec: ModelSpec;
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
  model: string;
  data: TypedDistribution;
  /** The named recipe with any inline overrides applied. */
  recipe: RecipeSpec;
  recipeName: string;
  span: Span;
}

export type Strategy = 'scratch' | 'ft' | 'lp' | 'lp_ft';

export interface InitRef {
  kind: 'pretrain' | 'group';
  name: string;
}

export interface SweepSpec {
  /** A recipe field, e.g. `lr`. */
  param: keyof RecipeSpec;
  values: number[];
  select: { metric: Metric; distribution: string; split: SplitName };
}

export interface ReweightSpec {
  /** Only `last_layer` for now (deep feature reweighting). */
  layer: 'last_layer';
  distribution: string;
  split: SplitName;
  balancedBy: string[];
}

/** A baseline (trained from scratch: the line) or an arm (judged against it). */
export interface TypedTrainingGroup {
  name: string;
  role: 'baseline' | 'arm';
  /** The architecture: as written, else inherited from `init`. */
  model: string;
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
  shift: string;
  /** Set for a support-split part. */
  split: { name: string; part: ShiftKind } | null;
}

export interface TypedCompare {
  name: string;
  arms: string[];
  baseline: string;
  shifts: CompareTarget[];
  metric: Metric;
  scale: 'probit' | 'logit';
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
  shift: string;
  /** A model name: the domain classifier's architecture. */
  classifier: string;
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

export interface TypedExpect {
  expression: Expression;
  paths: ResultPath[];
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
