// The in-memory form of labelled data that flows between data, training and evaluation.
// One typed array per field (never one tensor per example): batches are cut from these arrays, which
// keeps a 60k-example MNIST study well inside its memory budget.

export interface Dataset {
  /** Shape of one example: [28, 28, 1] for MNIST, [28, 28, 3] once tinted, [dim] for gaussian data. */
  shape: number[];
  /** Number of classes; labels are 0..classes-1. */
  classes: number;
  /** Number of examples. */
  size: number;
  /** Inputs, example-major: size × product(shape) values (images scaled to [0, 1]). */
  x: Float32Array;
  /** Labels, one per example. */
  y: Int32Array;
  /**
   * Attributes that transforms record per example, used to form groups
   * (`tint` = the colour's class, `aligned` = 1 when the colour matches the label).
   */
  attributes: Record<string, Int32Array>;
  /**
   * Random augmentation applied afresh to every training batch (`augment { .. }`); plain data so a
   * dataset stays serialisable. Absent when the distribution has no `augment` stage.
   */
  augmentation?: Record<string, number>;
  /**
   * Synthetic `gaussian` data only: the geometry that `rotate_subspace` and `resample` need. Plain number
   * arrays (row-major, each row of length `shape[0]`) so a dataset stays serialisable.
   */
  subspace?: Subspace;
}

export interface Subspace {
  /** Orthonormal basis of the reference subspace W: rank rows. */
  basis: number[];
  /** Orthonormal directions orthogonal to W that `rotate_subspace` turns inputs toward: min(rank, dim − rank) rows. */
  outside: number[];
  /** Class means (points of W), one row per class; the true boundaries are the mean-equidistant hyperplanes. */
  means: number[];
}

/** Every distribution has these three splits; `val` is carved out of the source's training part. */
export interface Splits {
  train: Dataset;
  val: Dataset;
  test: Dataset;
}

export type SplitName = keyof Splits;
/** The splits, in the order every job writes them (the checker's `.train`/`.val`/`.test`). */
export const SPLIT_NAMES = ['train', 'val', 'test'] as const satisfies readonly SplitName[];
