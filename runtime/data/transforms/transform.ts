// What a transform is: one definition object holding everything every layer needs to know about it (in
// the style of a Keras/TF.js layer: config schema, output shape, call, registration). The checker reads
// its schema, records, shape change and support semantics; `shiftlab plan` its size effect; the docs
// generator its docs; the executor its `apply`. Nothing else restates a default, range or meaning.
import type { Dataset, SplitName } from '../dataset.ts';
import type { InputShape } from '../shape.ts';
import type { Params } from '../specs.ts';
import type { Random } from '../../random.ts';
import type { ParamTable, PositionalSpec } from '../../schema.ts';

/** What a transform may depend on besides its input and params: a stream private to (seed, kind, split). */
export interface TransformContext {
  random: Random;
  split: SplitName;
}

/** A number in a support effect: a constant, or the value of the named parameter. */
export type Amount = number | string;

/** An effect applies only when every condition holds on the transform's (defaulted) parameters. */
export interface Condition {
  param: string;
  above?: number;
  atLeast?: number;
  below?: number;
}

/**
 * What a transform does to the support of a distribution: per feature (`vflip`, `rotate`, `tint_strength`…)
 * the set of states examples can show, as intervals. Every feature starts at the single state 0. The checker
 * (compiler/check/support.ts) interprets these to infer whether a shift is in or out of support; a transform
 * that only changes proportions has no effects.
 * - toggle: with probability p, a state s becomes 1 − s (p ≥ 1: every state; 0 < p < 1: both); `atMost` caps p.
 * - shift:  every state moves by d; with `upTo`, every move in [0, d] is shown.
 * - set:    the states become exactly these intervals.
 * - add:    these intervals are shown besides the existing states.
 */
export type SupportEffect = { feature: string; when?: readonly Condition[] } & (
  | { toggle: Amount; atMost?: number }
  | { shift: Amount; upTo?: boolean }
  | { set: readonly (readonly [Amount, Amount])[] }
  | { add: readonly (readonly [Amount, Amount])[] }
);

export interface TransformDef {
  /** One line, for the docs and the editor. */
  doc: string;
  /** Named parameters with their types, ranges, defaults and docs. */
  attributes: ParamTable;
  /** A single positional argument (`limit 500`, `balanced_by [label]`), stored in the params under its name. */
  positional?: PositionalSpec;
  /** Per-example attributes the transform records (usable in groups and balanced_by). */
  records: readonly string[];
  /** What inputs it needs. */
  input: 'image' | 'vector' | 'any';
  /** The shape of an example after the transform, given its parameters (default: unchanged). */
  reshape?(shape: InputShape, params: Params): InputShape;
  /** Its support semantics (see SupportEffect); [] for proportion-only transforms. */
  support: readonly SupportEffect[];
  /** Its effect on split sizes for plan estimates: `cap` names the parameter bounding every split. */
  sizes?: { cap: string };
  /**
   * Set when `apply` only records settings that the trainer draws anew for every batch (`augment`): features
   * a frozen backbone computed once cannot show them, so the checker refuses it there (S4020).
   */
  drawnPerBatch?: true;
  /**
   * The transform itself. `params` were checked against `attributes` by the checker and are defaulted from
   * them; it returns a new Dataset and never mutates its input (arrays left unchanged may be shared).
   */
  apply(ds: Dataset, params: Params, context: TransformContext): Dataset;
}

/** The old name of `apply`'s type, for callers that pass transforms around as functions. */
export type Transform = TransformDef['apply'];
