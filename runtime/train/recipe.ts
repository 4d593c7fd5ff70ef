// A training recipe (`recipe fit { optimizer adam, lr 1e-3, ... }`) and its learning-rate schedule.
// Field names match the checker's RecipeSpec, so a plan's recipe passes through unchanged.

export interface RecipeSpec {
  optimizer: 'adam' | 'sgd' | 'adamw';
  lr: number;
  batch: number;
  epochs: number;
  schedule: 'constant' | 'cosine' | 'triangle';
  /** Warm-up length in epochs (may be fractional; 0 = none). */
  warmup: number;
  label_smoothing: number;
  /** Maximum global gradient norm; 0 = no clipping. */
  grad_clip: number;
  /** sgd only (heavy-ball momentum). */
  momentum: number;
  /** adamw: decoupled decay; adam and sgd: an L2 term added to the gradient. */
  weight_decay: number;
}

export const DEFAULT_RECIPE: RecipeSpec = {
  optimizer: 'adam',
  lr: 1e-3,
  batch: 128,
  epochs: 10,
  schedule: 'constant',
  warmup: 0,
  label_smoothing: 0,
  grad_clip: 0,
  momentum: 0.9,
  weight_decay: 0,
};

/** A full recipe from a partial one (missing fields take DEFAULT_RECIPE's values). */
export function recipe(overrides: Partial<RecipeSpec> = {}): RecipeSpec {
  return { ...DEFAULT_RECIPE, ...overrides };
}

/**
 * The learning rate for optimisation step `step` (0-based) of `total`, with `warmupSteps` steps of
 * linear warm-up from lr/warmupSteps to lr.
 * - constant: lr after warm-up.
 * - cosine: lr·(1 + cos(π·p))/2, p going 0 → 1 over the steps after warm-up (so it ends near 0).
 * - triangle: linear from 0 up to lr, then linearly down to 0 at the end; the peak is the end of the
 *   warm-up, or a quarter of training when there is none (the shape of the FFCV recipes the paper used).
 */
export function learningRateAt(spec: RecipeSpec, step: number, total: number, warmupSteps: number): number {
  if (spec.schedule === 'triangle') {
    const peak = warmupSteps > 0 ? warmupSteps : Math.max(1, Math.round(total / 4));
    if (step < peak) return (spec.lr * (step + 1)) / peak;
    return (spec.lr * (total - step)) / Math.max(1, total - peak);
  }
  if (step < warmupSteps) return (spec.lr * (step + 1)) / warmupSteps;
  if (spec.schedule === 'constant') return spec.lr;
  const progress = (step - warmupSteps) / Math.max(1, total - warmupSteps);
  return (spec.lr * (1 + Math.cos(Math.PI * progress))) / 2;
}
