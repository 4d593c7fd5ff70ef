// Plain-data descriptions of where examples come from and what is done to them. The planner hashes these
// (so they hold only JSON values) and the executor hands them to `loadSource` / `applyTransform`.

export type ParamValue = number | string | string[] | number[];
export type Params = Record<string, ParamValue>;

export const SOURCE_KINDS = ['mnist', 'fashion_mnist', 'gaussian', 'idx', 'csv', 'images'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/**
 * A data source and its attributes. Parameter names per kind (all optional unless marked):
 * - mnist:         train (≤ 60000, default all), test (≤ 10000, default all)
 * - fashion_mnist: train (default 60000), test (default 10000); train + test ≤ 70020
 * - gaussian:      dim (required), classes (2), rank (dim), train (1000), test (1000), separation (2)
 * - idx:           images, labels (required paths), test_images, test_labels (optional paths),
 *                  test (held out of the first pair when no test files: a fraction < 1 or a count; 0.2), classes
 * - csv:           path (required), label (column name, required), test_path, test (as idx), classes
 * - images:        path (the metadata CSV), file, label (required), root, split, attributes, size, channels,
 *                  classes, test (held out without a split column)
 */
export interface SourceSpec {
  kind: SourceKind;
  params: Params;
}

/** One stage of a distribution's transform chain: `tint { strength 0.25, spurious 0.8 }` → { kind: 'tint', params }. */
export interface TransformSpec {
  kind: string;
  params: Params;
}
