// The options of deep feature reweighting (dfr.ts), apart from the fit itself so the checker reads them
// without loading TF.js.
import type { ParamTable } from '../schema.ts';

/** The paper's regularisation (sklearn's C): ½‖W‖² + C·Σ weighted losses. */
export const DFR_DEFAULT_C = 0.001;

/**
 * The options of `reweight last_layer on S … { C 0.001, subsets 0 }`: the checker reads this table (types,
 * ranges, defaults, docs) and fills the job spec from it, so the handler receives complete options.
 */
export const DFR_OPTIONS: ParamTable = {
  C: {
    type: { type: 'choices', of: { type: 'number', min: 0, exclusiveMin: true } },
    default: [DFR_DEFAULT_C],
    doc: "inverse L2 strength as sklearn's C (the paper's 0.001); a list is a sweep: each candidate is fitted on one half of S and the best worst-group accuracy on the other half wins, then refitted on all of S",
  },
  subsets: {
    type: { type: 'number', integer: true, min: 0 },
    default: 0,
    doc: "average this many fits, each on a random group-balanced subset of S (Kirichenko et al.); 0: one fit on all of S with group-balanced weights (the paper's code)",
  },
};
