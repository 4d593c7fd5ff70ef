// The `results.json` a run writes and `shiftlab report` reads. Plain JSON data, versioned: a reader checks
// `schemaVersion` and refuses files it does not understand instead of guessing. Accuracies are fractions
// in [0, 1]; ER values and their bounds are differences of accuracies (shifted − predicted).

import type { PoolUsage } from './exec/priority.ts';

/** Bump when a field changes meaning or disappears (adding optional fields does not need a bump). */
export const schemaVersion = 1;

export interface Results {
  schemaVersion: typeof schemaVersion;
  study: StudyInfo;
  /**
   * The TF.js backend that computed the results: `tensorflow`, `wasm` or `cpu`. When cached jobs were
   * computed by different backends, their names joined with `+` (see `backendsUsed`).
   */
  backend: string;
  /** How many tensor-computing jobs (training, prediction, splits) each backend ran, cached ones included. */
  backendsUsed?: Record<string, number>;
  /** Hash of the plan the run executed; equal hashes mean equal job graphs. */
  planHash: string;
  /** ISO 8601 time the run finished. */
  createdAt: string;
  models: ModelResult[];
  comparisons: ComparisonResult[];
  splits: SplitResult[];
  expectations: ExpectationResult[];
  /**
   * How busy the worker pool was in the run that wrote this file: busy worker-seconds over workers × wall
   * seconds while jobs ran. Absent when every job was cached.
   */
  pool?: PoolUsage;
}

export interface StudyInfo {
  /** The identifier after `study`. */
  name: string;
  /** The study's `title`, or its name when it has none. */
  title: string;
  /** Path of the `.study` file the run compiled, as given on the command line. */
  file: string;
  /** Full text of the `.study` file, so the report shows exactly what ran. */
  source: string;
}

/** One evaluated model: a baseline checkpoint, or one copy of an arm. */
export interface ModelResult {
  /** Unique within the run, e.g. `from_scratch.copy0.epoch4` or `fine_tuned.copy2`. */
  name: string;
  /** The baseline or arm it belongs to. */
  group: string;
  /** Copy index (seed replicate), from 0. */
  copy: number;
  /** Training epoch of a baseline checkpoint; absent for an arm's final model. */
  checkpoint?: number;
  /**
   * Metric values keyed by `distribution.split` (e.g. `reference.test`, `parts.out_of_support`), then by
   * metric name (`accuracy`, `worst_group_accuracy`, ...). `count` holds the number of evaluated examples.
   */
  metrics: Record<string, Record<string, number>>;
}

/** A point on a comparison's scatter: reference metric `x`, shifted metric `y`. */
export interface PlotPoint {
  x: number;
  y: number;
  /** The model it came from (a `ModelResult.name`). */
  label: string;
  /** True when x or y was 0 or 1 and was clipped to [1/(2N), 1 − 1/(2N)] before the fit. */
  clipped: boolean;
}

/** The baseline line on the transformed scale: T(y) = slope·T(x) + intercept. */
export interface FitSummary {
  slope: number;
  intercept: number;
  r2: number;
  n: number;
}

export interface ComparisonResult {
  /** The `compare` block's name. */
  name: string;
  metric: string;
  scale: 'probit' | 'logit';
  /** Confidence level, e.g. 0.95 for `interval 95%`. */
  interval: number;
  /** Shifts in declaration order (a split part is named `split.in_support` / `split.out_of_support`). */
  shifts: string[];
  /** One baseline line per shift: the reference distribution is shared, the shifted one is not. */
  baseline: { name: string; byShift: Record<string, BaselineResult> };
  /** arm name → shift name → ER. */
  arms: Record<string, Record<string, ArmShiftResult>>;
  /** For each split whose parts the comparison reports on: ER on both parts at every swept ε. */
  supportSweeps?: SupportSweepResult[];
}

/** A comparison on the parts of one support split at every ε (the threshold and the split's `epsilons`). */
export interface SupportSweepResult {
  split: string;
  /** Ascending in ε. */
  rows: SupportSweepRow[];
}

export interface SupportSweepRow {
  epsilon: number;
  inSupport: number;
  outOfSupport: number;
  /** Null for an empty part: there is nothing to evaluate. */
  in_support: SupportSweepPart | null;
  out_of_support: SupportSweepPart | null;
}

/** The baseline line refitted on one part at one ε, and every arm against it (by the comparison's rules). */
export interface SupportSweepPart {
  /** Examples in the part. */
  size: number;
  /** The line's r² and point count; r² is null when the part's points do not determine it (written as null). */
  r2: number | null;
  n: number;
  clippedPoints: number;
  /** arm name → its ER (null bounds when the line is degenerate) and mean point on this part. */
  arms: Record<string, SweptArmResult>;
}

export interface SweptArmResult {
  er: number | null;
  low: number | null;
  high: number | null;
  x: number;
  y: number;
  clipped: boolean;
}

export interface BaselineResult {
  points: PlotPoint[];
  fit: FitSummary;
  /** How models became points: `mean_of_copies` (one point per checkpoint, its copies averaged: the
   *  paper's rule) or `per_copy`. Absent in files written before the rule existed (per copy). */
  pointRule?: 'mean_of_copies' | 'per_copy';
  /** How many of `points` were clipped; a line resting on clipped points deserves a warning. */
  clippedPoints?: number;
}

/** One copy (seed) of an arm on one shift. */
export interface CopyResult extends PlotPoint {
  er: number;
  /** The regression interval of this copy's ER. */
  low: number;
  high: number;
}

export interface ArmShiftResult {
  /** ER of the arm: by the paper's rule (`regression`), at the copies' mean accuracies; with
   *  `interval copies`, the mean of the copies' ERs. */
  er: number;
  /**
   * Interval of `er`. `regression` (the default, the paper's rule): the line's regression interval at the
   * copies' mean accuracies, [ȳ − upper, ȳ − lower]. `copies` (only when asked for with `interval copies`):
   * mean ± 1.96·std/√n of the copies' ER (ddof 0), which leaves out the line's own uncertainty.
   */
  low: number;
  high: number;
  intervalKind: 'regression' | 'copies';
  /** Mean reference and shifted metric over copies, clipped (the arm's point on the plot). */
  x: number;
  y: number;
  /** Spread of the copies' x and y (mean ± 1.96·std/√n), for error bars; equal to x / y with one copy. */
  xLow: number;
  xHigh: number;
  yLow: number;
  yHigh: number;
  copies: CopyResult[];
  /** True when the mean or any copy's accuracy was clipped. */
  clipped: boolean;
}

/** A `split NAME = support(SHIFT)`: the shifted set divided by a cross-fitted domain classifier. */
export interface SplitResult {
  name: string;
  shift: string;
  folds: number;
  /** ε: an example is out-of-support when its density ratio is ≥ 1/ε. */
  threshold: number;
  /** Sizes of the two parts of the shifted set. */
  inSupport: number;
  outOfSupport: number;
  /** The domain classifier's held-out AUROC, as 2·AUC − 1, and the raw AUC. */
  auroc: number;
  auc: number;
  /** The fitted calibration temperature; null when the classifier carried no signal (T = ∞). */
  temperature: number | null;
  /** Part sizes at `threshold` and at every swept ε (the paper's grid by default), ascending in ε. */
  sweep: { threshold: number; inSupport: number; outOfSupport: number }[];
  /** The domain classifier's candidates (one per swept learning rate, else one, value null) and which won. */
  candidates: { value: number | null; auroc: number }[];
  chosen: number;
}

/** One `expect` line and its outcome. */
export interface ExpectationResult {
  /** The expression as written in the study. */
  source: string;
  /** 1-based line in the study file. */
  line: number;
  /** The left-hand side's value (or the expression's numeric value when it is not a comparison). */
  value: number;
  passed: boolean;
  /** Every dotted path the expression read, with its value. */
  operands: Record<string, number>;
}
