// `objective group_dro { eta 0.01, adjustment 0 }`: Sagawa et al. 2020's online GroupDRO (objective.ts).
import { num } from '../../schema.ts';
import type { ObjectiveDef } from './objective.ts';
import { GROUPS_PARAM, groupsOf } from './groups.ts';

export const groupDro: ObjectiveDef = {
  doc: 'minimise the q-weighted group losses, q moving towards the worst group by exponentiated gradient',
  reference: 'Sagawa et al. 2020, "Distributionally robust neural networks"',
  attributes: {
    groups: GROUPS_PARAM,
    // The defaults of the paper's code (robust_step_size 0.01, generalization_adjustment 0).
    eta: num(
      "step size η of the group weights' update q_g ← q_g·exp(η·(ℓ_g + C/√n_g))",
      { min: 0, exclusiveMin: true },
      0.01,
    ),
    adjustment: num('group adjustment C: adds C/√n_g to a group’s loss, favouring small groups', { min: 0 }, 0),
  },
  async prepare(data, params) {
    const groups = groupsOf(data, params);
    return {
      kind: 'group_dro',
      groups: groups.ids,
      count: groups.count,
      eta: params.eta as number,
      adjustment: params.adjustment as number,
    };
  },
};
