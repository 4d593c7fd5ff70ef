// Groups formed by the label and recorded attributes, e.g. [label, aligned]: used by worst-group
// accuracy, deep feature reweighting and `balanced_by` sampling.
import type { Dataset } from './dataset.ts';
import { DataError } from './errors.ts';

export interface Groups {
  /** Group id of each example, 0..count-1. */
  ids: Int32Array;
  count: number;
  /** The attribute values of each group, indexed by id. Ids follow the sorted order of these values. */
  keys: Record<string, number>[];
}

/** The values of one attribute per example; `label` means the labels. */
export function attributeValues(ds: Dataset, name: string): Int32Array {
  if (name === 'label') return ds.y;
  const values = ds.attributes[name];
  if (!values) {
    const known = ['label', ...Object.keys(ds.attributes)].join(', ');
    throw new DataError(`the data records no attribute '${name}' (it has: ${known})`);
  }
  return values;
}

/** Only groups that occur get an id, so `count` is the number of non-empty groups. */
export function groupIds(ds: Dataset, attrs: string[]): Groups {
  const columns = attrs.map((name) => attributeValues(ds, name));
  const tupleOf = (i: number) => columns.map((column) => column[i]);
  const distinct = new Map<string, number[]>();
  for (let i = 0; i < ds.size; i++) {
    const tuple = tupleOf(i);
    const key = tuple.join(',');
    if (!distinct.has(key)) distinct.set(key, tuple);
  }
  const sorted = [...distinct.values()].sort((a, b) => {
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k] - b[k];
    return 0;
  });
  const idOf = new Map(sorted.map((tuple, id) => [tuple.join(','), id]));
  const ids = new Int32Array(ds.size);
  for (let i = 0; i < ds.size; i++) ids[i] = idOf.get(tupleOf(i).join(','))!;
  const keys = sorted.map((tuple) => Object.fromEntries(attrs.map((name, k) => [name, tuple[k]])));
  return { ids, count: sorted.length, keys };
}
