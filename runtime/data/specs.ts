// Plain-data descriptions of what is done to examples. The planner hashes these (so they hold only JSON
// values) and the executor hands them to `applyTransform`; a source's spec (SourceSpec) lives with the
// source registry (sources/index.ts), whose entries name its kinds.

export type ParamValue = number | string | string[] | number[];
export type Params = Record<string, ParamValue>;

/** One stage of a distribution's transform chain: `tint { strength 0.25, spurious 0.8 }` → { kind: 'tint', params }. */
export interface TransformSpec {
  kind: string;
  params: Params;
}
