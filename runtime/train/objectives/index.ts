// The objective registry: one line per objective (each defined in its own file). Without `objective`, training
// minimises the mean cross-entropy (ERM).
import { DataError } from '../../data/errors.ts';
import type { Dataset } from '../../data/dataset.ts';
import { withDefaults } from '../../schema.ts';
import type { TrainingObjective } from '../objective.ts';
import { groupDro } from './group-dro.ts';
import { groupReweighting } from './group-reweighting.ts';
import { jtt } from './jtt.ts';
import type { ObjectiveContext, ObjectiveDef, ObjectiveSpec } from './objective.ts';

export type { ObjectiveContext, ObjectiveDef, ObjectiveSpec };

export const OBJECTIVES: Readonly<Record<string, ObjectiveDef>> = {
  group_reweighting: groupReweighting,
  group_dro: groupDro,
  jtt,
};

/** The training objective a spec stands for, on `data` (its params were checked by the checker; defaulted here). */
export async function prepareObjective(
  spec: ObjectiveSpec,
  data: Dataset,
  context: ObjectiveContext,
): Promise<TrainingObjective> {
  const def = OBJECTIVES[spec.kind];
  if (!def) throw new DataError(`unknown objective '${spec.kind}' (known: ${Object.keys(OBJECTIVES).join(', ')})`);
  return def.prepare(data, withDefaults(def, spec.params), context);
}
