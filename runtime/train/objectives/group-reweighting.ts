// `objective group_reweighting { groups [label, tint] }`: every example's loss weighted N/(G·|g|), so each group
// counts as much as any other (the loss-weighting form of group balancing; SubpopBench's "ReWeight").
import type { ObjectiveDef } from './objective.ts';
import { GROUPS_PARAM, groupsOf } from './groups.ts';

/** Group reweighting as per-example weights N/(G·|g|): every group's total weight is N/G. */
export function groupBalancedLossWeights(groups: Int32Array, count: number): Float32Array {
  const sizes = new Float64Array(count);
  for (const g of groups) sizes[g]++;
  return Float32Array.from(groups, (g) => groups.length / (count * sizes[g]));
}

export const groupReweighting: ObjectiveDef = {
  doc: "each example's loss weighted so that every group has the same total weight",
  reference: 'SubpopBench (Yang et al. 2023), ReWeight',
  attributes: { groups: GROUPS_PARAM },
  async prepare(data, params) {
    const groups = groupsOf(data, params);
    return { kind: 'weighted', weights: groupBalancedLossWeights(groups.ids, groups.count) };
  },
};
