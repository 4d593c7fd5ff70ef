// A training recipe (`recipe fit { optimizer adam, lr 1e-3, ... }`), its schema and its learning-rate schedule.
// The schema (RECIPE_ATTRIBUTES) is the checker's table for `recipe` declarations and overrides; its
// defaults are DEFAULT_RECIPE's, so a study and a compiled script agree on what an unset field means.
import type { Params } from '../data/specs.ts';
import { count, num, oneOf, type AttributeSpec, type ParamSchema } from '../schema.ts';

const OPTIMIZERS = ['adam', 'sgd', 'adamw'] as const;
const SCHEDULES = ['constant', 'cosine', 'triangle'] as const;

export interface RecipeSpec {
  optimizer: (typeof OPTIMIZERS)[number];
  lr: number;
  batch: number;
  epochs: number;
  schedule: (typeof SCHEDULES)[number];
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

/** Recipe of a support split's domain classifier when the study gives none. */
export const SUPPORT_CLASSIFIER_RECIPE: RecipeSpec = recipe({ optimizer: 'adam', lr: 1e-3, batch: 128, epochs: 3 });

/** One schema entry per recipe field, its default DEFAULT_RECIPE's. */
export const RECIPE_ATTRIBUTES: { readonly [Field in keyof RecipeSpec]: AttributeSpec<ParamSchema> } = {
  optimizer: oneOf(OPTIMIZERS, 'optimizer', DEFAULT_RECIPE.optimizer),
  lr: num('learning rate', { min: 0, exclusiveMin: true }, DEFAULT_RECIPE.lr),
  batch: count('batch size', DEFAULT_RECIPE.batch),
  epochs: count('training epochs', DEFAULT_RECIPE.epochs),
  schedule: oneOf(SCHEDULES, 'learning-rate schedule', DEFAULT_RECIPE.schedule),
  warmup: count('warm-up epochs', DEFAULT_RECIPE.warmup, 0),
  label_smoothing: num('label smoothing', { min: 0, max: 1, exclusiveMax: true }, DEFAULT_RECIPE.label_smoothing),
  grad_clip: num('gradient norm clip (0 = off)', { min: 0 }, DEFAULT_RECIPE.grad_clip),
  momentum: num('SGD momentum', { min: 0, max: 1, exclusiveMax: true }, DEFAULT_RECIPE.momentum),
  weight_decay: num('weight decay', { min: 0 }, DEFAULT_RECIPE.weight_decay),
};

/** A full recipe from a partial one (missing fields take DEFAULT_RECIPE's values). */
export function recipe(overrides: Partial<RecipeSpec> = {}): RecipeSpec {
  return { ...DEFAULT_RECIPE, ...overrides };
}

/**
 * A recipe from params checked against RECIPE_ATTRIBUTES (a declaration's fields, or the overrides of
 * `fit { epochs 3 }`): each field written replaces `base`'s. No cast: a value of the wrong type cannot pass
 * the checker, and would keep `base`'s value here.
 */
export function recipeFrom(params: Params, base: RecipeSpec = DEFAULT_RECIPE): RecipeSpec {
  const word = <W extends string>(field: 'optimizer' | 'schedule', words: readonly W[], fallback: W): W =>
    words.find((w) => w === params[field]) ?? fallback;
  const number = (field: Exclude<keyof RecipeSpec, 'optimizer' | 'schedule'>): number => {
    const value = params[field];
    return typeof value === 'number' ? value : base[field];
  };
  return {
    optimizer: word('optimizer', OPTIMIZERS, base.optimizer),
    lr: number('lr'),
    batch: number('batch'),
    epochs: number('epochs'),
    schedule: word('schedule', SCHEDULES, base.schedule),
    warmup: number('warmup'),
    label_smoothing: number('label_smoothing'),
    grad_clip: number('grad_clip'),
    momentum: number('momentum'),
    weight_decay: number('weight_decay'),
  };
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
