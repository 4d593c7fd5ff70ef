// What the checker knows of every name a study can use: the builtins (data sources, transforms,
// architectures, whose definitions live in the runtime) and the attributes of each declaration kind, with
// their value types, ranges and defaults. Rules and the typed-study builder read these; nothing else
// hard-codes an attribute name, range or default.

import type { declarationKeywords } from '../../grammar/ast.ts';
import { SOURCES, TRANSFORMS, type SourceDef, type TransformDef } from '../../runtime/data/index.ts';
import { PAPER_EPSILONS } from '../../runtime/analysis/support-parts.ts';
import { DFR_OPTIONS } from '../../runtime/interventions/dfr-options.ts';
import { ARCHITECTURES, type ArchitectureDef } from '../../runtime/models/architectures/index.ts';
import { BACKBONES, type BackboneDef } from '../../runtime/models/frozen/kinds.ts';
import { OBJECTIVES, type ObjectiveDef } from '../../runtime/train/objectives/index.ts';
import type * as schema from '../../runtime/schema.ts';
import { count, num, oneOf, required } from '../../runtime/schema.ts';
import { METRICS } from '../../runtime/eval/metrics.ts';
import { RECIPE_ATTRIBUTES, SUPPORT_CLASSIFIER_RECIPE } from '../../runtime/train/recipe.ts';
import type { InputShape, Params, SourceKind } from './typed.ts';

export { describeRange, describeSchema, inRange } from '../../runtime/schema.ts';

/** The declaration kinds a name can refer to: every declaration keyword but `expect`. */
export type SymbolKind = Exclude<(typeof declarationKeywords)[keyof typeof declarationKeywords], 'expect'>;

export type ValueSchema = schema.ValueSchema<SymbolKind>;
export type AttributeSpec = schema.AttributeSpec<ValueSchema>;
export type AttributeTable = schema.AttributeTable<ValueSchema>;

// ---------------------------------------------------------------- builtins: the runtime's definitions

// Sources, transforms and architectures are defined once, in the runtime (runtime/data/sources,
// runtime/data/transforms, runtime/models/architectures): these are those registries under the names the
// rules use. The definition objects themselves are shared, not copied.
// Their parameter functions are re-declared as methods over the checker's Params (a wider value type), so
// the typed-study builder can call them on what it read.
export interface SourceBuiltin extends Omit<SourceDef, 'derived' | 'shape' | 'classes' | 'records'> {
  derived?(params: Params): Params;
  shape(params: Params): InputShape;
  records?(params: Params): string[];
  classes(params: Params): number | null;
}
export interface TransformBuiltin extends Omit<TransformDef, 'reshape'> {
  reshape?(shape: InputShape, params: Params): InputShape;
}
/** What a `model` declaration may name: a trainable architecture, or a frozen backbone (`frozen`). */
export type ArchitectureBuiltin = Pick<ArchitectureDef, 'doc' | 'attributes' | 'positional' | 'input'> & {
  frozen?: true;
};

export const sources: Readonly<Record<SourceKind, SourceBuiltin>> = SOURCES;
export const transforms: Readonly<Record<string, TransformBuiltin>> = TRANSFORMS;
export const objectives: Readonly<Record<string, ObjectiveDef>> = OBJECTIVES;
export const architectures: Readonly<Record<string, ArchitectureBuiltin>> = {
  ...(ARCHITECTURES as Record<string, ArchitectureDef>),
  ...BACKBONES,
};
export const backbones: Readonly<Record<string, BackboneDef>> = BACKBONES;

// ---------------------------------------------------------------- declarations

// The runtime's own table (runtime/train/recipe.ts), so a study and a compiled script agree on what an
// unset field means.
export const recipeAttributes: AttributeTable = RECIPE_ATTRIBUTES;

export { METRICS } from '../../runtime/eval/metrics.ts';

const groupCommon: AttributeTable = {
  model: { type: { type: 'ref', kinds: ['model'] }, doc: 'architecture' },
  train: { type: { type: 'distribution' }, doc: 'training distribution' },
  recipe: { type: { type: 'recipe' }, doc: 'training recipe, optionally with overrides' },
  checkpoints: { type: { type: 'checkpoints' }, doc: 'epochs whose checkpoints are evaluated (default: the last)' },
  copies: count(
    "independent copies (seeds); a group that starts from another group's weights has that group's copies",
    1,
  ),
  limit: count('train on at most N examples'),
  balanced_by: { type: { type: 'nameList' }, doc: 'balance the training sample over these attributes' },
};

export const pretrainAttributes: AttributeTable = {
  model: required({ type: { type: 'ref', kinds: ['model'] }, doc: 'architecture' }),
  data: required({ type: { type: 'distribution' }, doc: 'the broad pre-training distribution' }),
  recipe: required({ type: { type: 'recipe' }, doc: 'training recipe' }),
};

export const baselineAttributes: AttributeTable = {
  ...groupCommon,
  model: required(groupCommon.model!),
  train: required(groupCommon.train!),
  recipe: required(groupCommon.recipe!),
  points: oneOf(
    ['mean_of_copies', 'per_copy'],
    "how a baseline's copies become points of the line: one point per checkpoint, the mean of its copies (the paper's rule), or one per copy",
    'mean_of_copies',
  ),
};

export const armAttributes: AttributeTable = {
  ...groupCommon,
  init: {
    type: { type: 'ref', kinds: ['pretrain', 'baseline', 'arm', 'model'] },
    doc: 'start from these weights, or probe a frozen backbone (`model clip = onnx ..`)',
  },
  strategy: oneOf(['ft', 'lp', 'lp_ft'], 'fine-tuning strategy (with init; a frozen backbone takes only lp)'),
  head: oneOf(['new', 'keep'], 'keep the initial head or make a new one'),
  sweep: { type: { type: 'sweep' }, doc: 'sweep a recipe value and select by a metric on a split' },
  reweight: {
    type: { type: 'reweight' },
    doc: 'deep feature reweighting of the last layer (fit it on held-out reference data, e.g. `reference.val`)',
    options: DFR_OPTIONS,
  },
  objective: {
    type: { type: 'objective' },
    doc: 'a group-robust training objective instead of ERM (see Objectives below)',
  },
};

export const compareAttributes: AttributeTable = {
  arms: required({ type: { type: 'refList', kinds: ['arm'] }, doc: 'arms judged against the baseline' }),
  baseline: required({ type: { type: 'ref', kinds: ['baseline'] }, doc: 'the baseline whose line is fitted' }),
  shifts: required({ type: { type: 'targets' }, doc: 'shifts, or parts of support splits' }),
  metric: oneOf(METRICS, 'metric', 'accuracy'),
  scale: oneOf(['probit', 'logit'], 'transform before fitting the line', 'probit'),
  interval: num(
    "confidence level of the line's regression interval, at the copies' mean accuracies (the paper's rule); `copies`: mean ± 1.96·std/√n of the copies' ERs instead, which leaves out the line's uncertainty",
    { min: 0, max: 1, exclusiveMin: true, exclusiveMax: true, percent: true, words: ['copies'] },
    0.95,
  ),
  groups: { type: { type: 'nameList' }, doc: 'group attributes for worst-group metrics' },
};

export const splitAttributes: AttributeTable = {
  classifier: required({
    type: { type: 'ref', kinds: ['model', 'pretrain'] },
    doc: "domain classifier: an architecture trained anew, or a pretrain fine-tuned with a new two-class head (the paper's)",
  }),
  folds: count('cross-fitting folds', 5, 2),
  threshold: num(
    'ε: out-of-support when the density ratio ≥ 1/ε',
    { min: 0, max: 1, exclusiveMin: true, exclusiveMax: true },
    0.2,
  ),
  recipe: {
    type: { type: 'recipe' },
    doc: `the domain classifier's training recipe (default: ${Object.entries(SUPPORT_CLASSIFIER_RECIPE)
      .filter(([field]) => ['optimizer', 'lr', 'batch', 'epochs'].includes(field))
      .map(([field, value]) => `${field} ${value}`)
      .join(', ')})`,
  },
  sweep: {
    type: { type: 'classifierSweep' },
    doc: 'candidate values of a recipe field (the paper: several learning rates), each cross-fitted; the best held-out AUROC wins',
  },
  source: {
    type: { type: 'splitRef' },
    doc: "the reference's split the classifier trains on against the shifted test split (default: the shift's reference's train split, disjoint from the evaluated test split)",
  },
  epsilons: {
    type: { type: 'numberList', min: 0 },
    default: [...PAPER_EPSILONS],
    doc: "values of ε whose in-/out-of-support sizes, and every comparison's ER on both parts, are reported besides `threshold`'s (default: the paper's grid)",
  },
};

export const studyAttributes: AttributeTable = {
  title: { type: { type: 'string' }, doc: 'a human title' },
  seed: count('the root seed every random choice derives from', 0, 0),
};

// ---------------------------------------------------------------- every table, for the readers that walk them all

/** Every declaration with a block of attributes, by its keyword: the one list of declaration tables. */
export const declarationTables = {
  study: studyAttributes,
  recipe: recipeAttributes,
  pretrain: pretrainAttributes,
  baseline: baselineAttributes,
  arm: armAttributes,
  compare: compareAttributes,
  split: splitAttributes,
} as const satisfies Readonly<Record<string, AttributeTable>>;

/** The builtins by family, under the family names diagnostics and docs use. */
export const builtinFamilies = {
  'data source': sources,
  transform: transforms,
  architecture: architectures,
} as const;
