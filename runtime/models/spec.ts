// What a `model` declaration asks for, as plain JSON-serialisable data (it goes into plan hashes). Each
// architecture's definition (architectures/) builds its own spec with `toSpec`; `toModelSpec` is the entry.

/** `mlp { hidden [..] }`; `hidden []` is logistic regression. */
export interface MlpSpec {
  kind: 'mlp';
  hidden: number[];
}

/** `convnet { channels [..], dense N }`: conv3x3-relu-maxpool per channel entry, then a dense relu layer. */
export interface ConvnetSpec {
  kind: 'convnet';
  channels: number[];
  dense: number;
}

/** `resnet { blocks [..], width N }`: stage i has `blocks[i]` residual blocks of `width·2^i` channels. */
export interface ResnetSpec {
  kind: 'resnet';
  blocks: number[];
  width: number;
}

/** `load "model.json"`: a TF.js layers model from disk (its last dense layer becomes the head). */
export interface LoadSpec {
  kind: 'load';
  path: string;
}

export type ArchitectureSpec = MlpSpec | ConvnetSpec | ResnetSpec;
export type ModelSpec = ArchitectureSpec | LoadSpec;
