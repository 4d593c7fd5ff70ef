// The `groups` parameter every group-robust objective takes, and the group ids it names on the training data.
import type { Dataset } from '../../data/dataset.ts';
import { groupIds, type Groups } from '../../data/groups.ts';
import type { Params } from '../../data/specs.ts';
import { DataError } from '../../data/errors.ts';
import type { AttributeSpec, ParamSchema } from '../../schema.ts';

/** No default in the table: the checker fills in [label, aligned] when the data records `aligned`, else [label]. */
export const GROUPS_PARAM: AttributeSpec<ParamSchema> = {
  type: { type: 'nameList' },
  doc: 'attributes whose combinations are the groups (default: [label, aligned] when the training data records `aligned`, else [label])',
};

export function groupsOf(data: Dataset, params: Params): Groups {
  const groups = params.groups as string[] | undefined;
  if (!groups) throw new DataError("a group-robust objective needs 'groups' (a checked study always has them)");
  return groupIds(data, groups);
}
