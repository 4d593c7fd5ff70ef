// The declarative schema of every builtin: data sources, transforms, architectures, and the attributes
// of each declaration kind, with their value types, ranges and defaults. Rules and the typed-study
// builder read this table; nothing else hard-codes an attribute name, range or default.

import type { declarationKeywords } from '../../grammar/ast.ts';
import { DEFAULT_RECIPE } from '../../runtime/train/recipe.ts';
import type { InputShape, ParamValue, Params, SourceKind } from './typed.ts';

/** The declaration kinds a name can refer to: every declaration keyword but `expect`. */
export type SymbolKind = Exclude<(typeof declarationKeywords)[keyof typeof declarationKeywords], 'expect'>;

export type ValueSchema =
  | {
      type: 'number';
      integer?: boolean;
      min?: number;
      max?: number;
      /** min/max themselves are not allowed. */
      exclusiveMin?: boolean;
      exclusiveMax?: boolean;
      /** `95%` is accepted and read as a fraction (0.95). */
      percent?: boolean;
      /** Bare words accepted instead of a number (`interval copies`). */
      words?: readonly string[];
    }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'string' }
  | { type: 'numberList'; integer?: boolean; min?: number }
  | { type: 'nameList' } // attribute names: balanced_by [label, tint]
  | { type: 'ref'; kinds: readonly SymbolKind[] }
  | { type: 'refList'; kinds: readonly SymbolKind[] }
  | { type: 'distribution' } // a data/distribution name or an inline chain
  | { type: 'splitRef' } // reference.val
  | { type: 'recipe' } // `fit` or `fit { epochs 3 }`
  | { type: 'checkpoints' } // 12, 4..12, 10..200 step 10, [2, 4, 8]
  | { type: 'sweep' } // lr [1e-3, 3e-4] select accuracy on reference.val
  | { type: 'reweight' } // last_layer on target.val balanced_by [label, tint]
  | { type: 'targets' }; // [tint_bias, flip] or [parts.in_support]

export interface AttributeSpec {
  type: ValueSchema;
  default?: ParamValue;
  required?: boolean;
  doc: string;
}

export type AttributeTable = Record<string, AttributeSpec>;

const num = (doc: string, options: Omit<Extract<ValueSchema, { type: 'number' }>, 'type'> = {}, value?: number): AttributeSpec => ({
  type: { type: 'number', ...options },
  doc,
  ...(value !== undefined ? { default: value } : {}),
});
const probability = (doc: string, value?: number) => num(doc, { min: 0, max: 1 }, value);
const count = (doc: string, value?: number, min = 1) => num(doc, { integer: true, min }, value);
const oneOf = (values: readonly string[], doc: string, value?: string): AttributeSpec => ({
  type: { type: 'enum', values },
  doc,
  ...(value !== undefined ? { default: value } : {}),
});
const required = (spec: AttributeSpec): AttributeSpec => ({ ...spec, required: true });

// ---------------------------------------------------------------- data sources

export interface SourceBuiltin {
  attributes: AttributeTable;
  /** Positional arguments (`idx "images" "labels"`), named for the typed study. */
  positional: { name: string; type: ValueSchema }[];
  shape(params: Record<string, ParamValue>): InputShape;
  classes(params: Record<string, ParamValue>): number | null;
  doc: string;
}

const validation = probability('fraction of the training part carved out as the val split', 0.1);
const heldOut = num('test examples held out of the training file: a fraction < 1 or a count', { min: 0, exclusiveMin: true }, 0.2);
const fileClasses = count('number of classes (default: read from the labels)', undefined, 2);
const digitsImage: InputShape = { kind: 'image', height: 28, width: 28, channels: 1 };
const declaredClasses = (params: Record<string, ParamValue>) => (typeof params.classes === 'number' ? params.classes : null);

/** MNIST and Fashion-MNIST: 60,000 training and 10,000 test images of 10 classes. */
function imageSource(doc: string): SourceBuiltin {
  return {
    attributes: {
      train: num('training examples', { integer: true, min: 1, max: 60000 }, 60000),
      test: num('test examples', { integer: true, min: 1, max: 10000 }, 10000),
      val: validation,
    },
    positional: [],
    shape: () => digitsImage,
    classes: () => 10,
    doc,
  };
}

// Parameter names and defaults follow runtime/data/specs.ts, which loads what these describe.
export const sources: Record<SourceKind, SourceBuiltin> = {
  mnist: imageSource('MNIST digits, 28×28 grey'),
  fashion_mnist: imageSource('Fashion-MNIST clothes, 28×28 grey'),
  gaussian: {
    attributes: {
      dim: required(count('input dimension')),
      classes: count('number of classes', 2, 2),
      train: count('training examples', 1000),
      test: count('test examples', 1000),
      val: validation,
      rank: count('dimension of the subspace the inputs span (default: dim)'),
      separation: num('distance between class means', { min: 0, exclusiveMin: true }, 2),
    },
    positional: [],
    shape: (params) => ({ kind: 'vector', dim: Number(params.dim) }),
    classes: (params) => Number(params.classes),
    doc: 'synthetic Gaussian classes in a subspace of rank `rank`',
  },
  idx: {
    attributes: {
      test_images: { type: { type: 'string' }, doc: 'a separate IDX test image file' },
      test_labels: { type: { type: 'string' }, doc: 'a separate IDX test label file' },
      test: heldOut,
      val: validation,
      classes: fileClasses,
    },
    positional: [
      { name: 'images', type: { type: 'string' } },
      { name: 'labels', type: { type: 'string' } },
    ],
    shape: () => ({ kind: 'unknown' }),
    classes: declaredClasses,
    doc: 'an IDX image file and an IDX label file',
  },
  csv: {
    attributes: {
      label: required({ type: { type: 'string' }, doc: 'the label column' }),
      test_path: { type: { type: 'string' }, doc: 'a separate CSV test file' },
      test: heldOut,
      val: validation,
      classes: fileClasses,
    },
    positional: [{ name: 'path', type: { type: 'string' } }],
    shape: () => ({ kind: 'unknown' }),
    classes: declaredClasses,
    doc: 'a CSV file of numeric features and a label column',
  },
};

// ---------------------------------------------------------------- transforms

export interface TransformBuiltin {
  attributes: AttributeTable;
  /** A single positional argument (`limit 500`, `balanced_by [label]`), stored under `name`. */
  positional?: { name: string; type: ValueSchema; required: boolean };
  /** Per-example attributes the transform records (usable in groups and balanced_by). */
  records: readonly string[];
  /** What inputs it needs. */
  input: 'image' | 'vector' | 'any';
  /** Shape after the transform (default: unchanged). */
  /** The shape of an example after the transform, given its parameters (defaults filled in). */
  reshape?: (shape: InputShape, params: Params) => InputShape;
  doc: string;
}

const flipProbability = probability('probability of flipping each example', 1);

export const transforms: Record<string, TransformBuiltin> = {
  tint: {
    attributes: {
      strength: probability('blend weight of the colour: x ← (1−s)·x + s·colour', 0.25),
      spurious: probability("probability the colour is the class's own (else a random class's)", 0.5),
    },
    records: ['tint', 'aligned'],
    input: 'image',
    reshape: (shape) => (shape.kind === 'image' ? { ...shape, channels: 3 } : shape),
    doc: 'a class-coloured tint (3 channels)',
  },
  vflip: { attributes: { p: flipProbability }, records: ['vflip'], input: 'image', doc: 'vertical flip' },
  hflip: { attributes: { p: flipProbability }, records: ['hflip'], input: 'image', doc: 'horizontal flip' },
  invert: { attributes: { p: flipProbability }, records: ['invert'], input: 'image', doc: 'invert intensities' },
  pad: {
    attributes: { pixels: count('border width; the image is shrunk to keep its size', 2, 0) },
    records: [],
    input: 'image',
    doc: 'shrink the content inside a blank border of `pixels`',
  },
  rotate: {
    attributes: { degrees: num('rotation angle', { min: -180, max: 180 }, 15) },
    records: [],
    input: 'image',
    doc: 'rotate by a fixed angle',
  },
  noise: {
    attributes: { std: num('standard deviation of additive Gaussian noise', { min: 0 }, 0.1) },
    records: [],
    input: 'any',
    doc: 'additive Gaussian noise',
  },
  label_shift: {
    attributes: {
      minority: probability('fraction of classes that become minority classes', 0.5),
      rate: probability('keep rate of minority-class examples', 0.2),
      reverse: num('1 makes the last classes the minorities (the shifted side of a label shift)', { integer: true, min: 0, max: 1 }, 0),
    },
    records: [],
    input: 'any',
    doc: 'sub-sample a set of minority classes',
  },
  class_rates: {
    attributes: {},
    positional: { name: 'rates', type: { type: 'numberList', min: 0 }, required: true },
    records: [],
    input: 'any',
    doc: 'keep each class with its own rate',
  },
  limit: {
    attributes: {},
    positional: { name: 'n', type: { type: 'number', integer: true, min: 1 }, required: true },
    records: [],
    input: 'any',
    doc: 'keep at most N examples',
  },
  balanced_by: {
    attributes: {},
    positional: { name: 'attributes', type: { type: 'nameList' }, required: true },
    records: [],
    input: 'any',
    doc: 'resample so every group (combination of attributes) is equally frequent',
  },
  augment: {
    attributes: {
      vflip: probability('probability of a vertical flip', 0),
      hflip: probability('probability of a horizontal flip', 0),
      invert: probability('probability of inverting', 0),
      tint: probability('probability of a random tint (strength 0.25)', 0),
      pad: count('largest random border', 0, 0),
      rotate: num('largest random rotation, in degrees', { min: 0, max: 180 }, 0),
      noise: num('largest noise standard deviation', { min: 0 }, 0),
    },
    records: [],
    input: 'any',
    // A random tint makes grey images 3-channel in every split, so models see one shape throughout.
    reshape: (shape, params) => (shape.kind === 'image' && Number(params.tint) > 0 ? { ...shape, channels: 3 } : shape),
    doc: 'random augmentations drawn per example (for broad pre-training data)',
  },
  rotate_subspace: {
    attributes: { degrees: num('angle by which inputs leave their subspace', { min: -180, max: 180 }, 45) },
    records: [],
    input: 'vector',
    doc: 'rotate inputs out of the subspace the data spans (out of support)',
  },
  resample: {
    attributes: { margin: num('favour examples within this margin of the decision boundary', { min: 0, exclusiveMin: true }, 0.5) },
    records: [],
    input: 'vector',
    doc: 'reweight examples by their margin (same support)',
  },
};

/** augment's `tint` applies this strength. */
export const AUGMENT_TINT_STRENGTH = 0.25;

// ---------------------------------------------------------------- architectures

export interface ArchitectureBuiltin {
  attributes: AttributeTable;
  positional?: { name: string; type: ValueSchema; required: boolean };
  input: 'image' | 'any';
  doc: string;
}

export const architectures: Record<string, ArchitectureBuiltin> = {
  mlp: {
    attributes: { hidden: { type: { type: 'numberList', integer: true, min: 1 }, default: [128], doc: 'hidden layer widths' } },
    input: 'any',
    doc: 'a multi-layer perceptron (inputs flattened); `hidden []` is logistic regression',
  },
  convnet: {
    attributes: {
      channels: { type: { type: 'numberList', integer: true, min: 1 }, default: [16, 32], doc: 'conv layer channels' },
      dense: count('width of the dense layer before the head', 64),
    },
    input: 'image',
    doc: 'conv-pool blocks, a dense layer, a linear head',
  },
  resnet: {
    attributes: { blocks: count('residual blocks', 2), width: count('channels', 16) },
    input: 'image',
    doc: 'a small residual network',
  },
  load: {
    attributes: {},
    positional: { name: 'path', type: { type: 'string' }, required: true },
    input: 'any',
    doc: 'a TF.js layers model (model.json); its input shape is checked at run time',
  },
};

// ---------------------------------------------------------------- declarations

// Defaults are the runtime's own, so a study and a compiled script agree on what an unset field means.
export const recipeAttributes: AttributeTable = {
  optimizer: oneOf(['adam', 'sgd', 'adamw'], 'optimizer', DEFAULT_RECIPE.optimizer),
  lr: num('learning rate', { min: 0, exclusiveMin: true }, DEFAULT_RECIPE.lr),
  batch: count('batch size', DEFAULT_RECIPE.batch),
  epochs: count('training epochs', DEFAULT_RECIPE.epochs),
  schedule: oneOf(['constant', 'cosine', 'triangle'], 'learning-rate schedule', DEFAULT_RECIPE.schedule),
  warmup: count('warm-up epochs', DEFAULT_RECIPE.warmup, 0),
  label_smoothing: num('label smoothing', { min: 0, max: 1, exclusiveMax: true }, DEFAULT_RECIPE.label_smoothing),
  grad_clip: num('gradient norm clip (0 = off)', { min: 0 }, DEFAULT_RECIPE.grad_clip),
  momentum: num('SGD momentum', { min: 0, max: 1, exclusiveMax: true }, DEFAULT_RECIPE.momentum),
  weight_decay: num('weight decay', { min: 0 }, DEFAULT_RECIPE.weight_decay),
};

export const METRICS = ['accuracy', 'balanced_accuracy', 'worst_group_accuracy', 'macro_f1', 'auroc'] as const;

const groupCommon: AttributeTable = {
  model: { type: { type: 'ref', kinds: ['model'] }, doc: 'architecture' },
  train: { type: { type: 'distribution' }, doc: 'training distribution' },
  recipe: { type: { type: 'recipe' }, doc: 'training recipe, optionally with overrides' },
  checkpoints: { type: { type: 'checkpoints' }, doc: 'epochs whose checkpoints are evaluated (default: the last)' },
  copies: count('independent copies (seeds)'),
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
  init: { type: { type: 'ref', kinds: ['pretrain', 'baseline', 'arm'] }, doc: 'start from these weights' },
  strategy: oneOf(['ft', 'lp', 'lp_ft'], 'fine-tuning strategy (with init)'),
  head: oneOf(['new', 'keep'], 'keep the initial head or make a new one'),
  sweep: { type: { type: 'sweep' }, doc: 'sweep a recipe value and select by a metric on a split' },
  reweight: { type: { type: 'reweight' }, doc: 'deep feature reweighting of the last layer' },
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
  classifier: required({ type: { type: 'ref', kinds: ['model'] }, doc: 'domain classifier architecture' }),
  folds: count('cross-fitting folds', 5, 2),
  threshold: num('ε: out-of-support when the density ratio ≥ 1/ε', { min: 0, max: 1, exclusiveMin: true, exclusiveMax: true }, 0.2),
  recipe: { type: { type: 'recipe' }, doc: "the domain classifier's training recipe (default: adam, lr 1e-3, batch 128, 3 epochs)" },
};

export const studyAttributes: AttributeTable = {
  title: { type: { type: 'string' }, doc: 'a human title' },
  seed: count('the root seed every random choice derives from', 0, 0),
};

/** What a value of this schema looks like, for 'expects …' messages. */
export function describeSchema(schema: ValueSchema): string {
  switch (schema.type) {
    case 'number': {
      const kind = schema.integer ? 'an integer' : schema.percent ? 'a number or percentage' : 'a number';
      return schema.words ? `${kind}, or ${schema.words.join(' or ')}` : kind;
    }
    case 'enum':
      return `one of ${schema.values.join(', ')}`;
    case 'string':
      return 'a string';
    case 'numberList':
      return schema.integer ? 'a list of integers' : 'a list of numbers';
    case 'nameList':
      return 'a list of attribute names, e.g. [label, tint]';
    case 'ref':
      return `the name of a ${schema.kinds.join(' or ')}`;
    case 'refList':
      return `a list of ${schema.kinds.join(' or ')} names`;
    case 'distribution':
      return 'a distribution or data name, or a chain like `digits | vflip`';
    case 'splitRef':
      return 'a distribution split like `reference.val`';
    case 'recipe':
      return 'a recipe name, optionally with overrides: `fit { epochs 3 }`';
    case 'checkpoints':
      return 'an epoch, a range `4..12` (optionally `step N`) or a list of epochs';
    case 'sweep':
      return 'PARAM [values] select METRIC on DISTRIBUTION.SPLIT';
    case 'reweight':
      return 'last_layer on DISTRIBUTION.SPLIT balanced_by [attributes]';
    case 'targets':
      return 'a list of shift names or split parts like `parts.in_support`';
  }
}

/** The allowed interval of a number schema, in words: "> 0", "in [0, 1]". */
export function describeRange(schema: Extract<ValueSchema, { type: 'number' }>): string {
  const { min, max } = schema;
  if (min !== undefined && max !== undefined) {
    return `in ${schema.exclusiveMin ? '(' : '['}${min}, ${max}${schema.exclusiveMax ? ')' : ']'}`;
  }
  if (min !== undefined) return `${schema.exclusiveMin ? '>' : '>='} ${min}`;
  if (max !== undefined) return `${schema.exclusiveMax ? '<' : '<='} ${max}`;
  return 'a number';
}

export function inRange(schema: Extract<ValueSchema, { type: 'number' }>, value: number): boolean {
  if (schema.min !== undefined && (schema.exclusiveMin ? value <= schema.min : value < schema.min)) return false;
  if (schema.max !== undefined && (schema.exclusiveMax ? value >= schema.max : value > schema.max)) return false;
  return true;
}
