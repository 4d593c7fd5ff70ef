// `objective jtt { epochs 1, upweight 20 }`: Just Train Twice (Liu et al. 2021). An ERM identification run of
// T epochs marks the training examples it gets wrong; the real run weights those λ and the rest 1. JTT needs no
// group labels for training (only for choosing T and λ, which the study does with `sweep` or by hand).
import { count, num } from '../../schema.ts';
import type { ObjectiveDef } from './objective.ts';

/** JTT's second-stage weights: λ for the examples the identification model got wrong, 1 for the rest. */
export function jttWeights(errors: Uint8Array, upweight: number): Float32Array {
  return Float32Array.from(errors, (wrong) => (wrong ? upweight : 1));
}

export const jtt: ObjectiveDef = {
  doc: 'train twice: up-weight λ× the examples an ERM run of T epochs got wrong',
  reference: 'Liu et al. 2021, "Just train twice"',
  attributes: {
    // Required: the paper tunes both per data set (T from 1 to 60 epochs, λ from 5 to 100), so no value is standard.
    epochs: { ...count('identification epochs T of the ERM run whose errors are up-weighted'), required: true },
    upweight: {
      ...num('up-weight λ of the identified errors (the paper tunes it in 5–100)', { min: 1 }),
      required: true,
    },
  },
  async prepare(_data, params, context) {
    const errors = await context.identify(params.epochs as number);
    return { kind: 'weighted', weights: jttWeights(errors, params.upweight as number) };
  },
};
