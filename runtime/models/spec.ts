// What a `model` declaration asks for, as plain JSON-serialisable data (it goes into plan hashes).

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

/**
 * The runtime spec from the checker's `{ architecture, params }` form (plain data in a plan). `resnet`
 * accepts `blocks` as a list (blocks per stage) or one number (a single stage).
 */
export function toModelSpec(architecture: string, params: Record<string, unknown>): ModelSpec {
  const numbers = (name: string): number[] => {
    const value = params[name];
    if (typeof value === 'number') return [value];
    if (Array.isArray(value) && value.every((item) => typeof item === 'number')) return value as number[];
    throw new Error(`model ${architecture}: ${name} must be a number or a list of numbers`);
  };
  const number = (name: string): number => {
    const value = params[name];
    if (typeof value !== 'number') throw new Error(`model ${architecture}: ${name} must be a number`);
    return value;
  };
  switch (architecture) {
    case 'mlp':
      return { kind: 'mlp', hidden: params.hidden === undefined ? [] : numbers('hidden') };
    case 'convnet':
      return { kind: 'convnet', channels: numbers('channels'), dense: number('dense') };
    case 'resnet':
      return { kind: 'resnet', blocks: numbers('blocks'), width: number('width') };
    case 'load':
      if (typeof params.path !== 'string') throw new Error('model load: path must be a string');
      return { kind: 'load', path: params.path };
    default:
      throw new Error(`unknown model architecture ${architecture}`);
  }
}
