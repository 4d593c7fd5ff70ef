// What a frozen backbone's file declares, read without running it, and the decisions taken from it alone:
// the input layout (NCHW from PyTorch, NHWC from TensorFlow), the input size, and the output to use.
// Kept apart from loading so that `check` can validate a study's model block cheaply.
import { ModelFileError } from './errors.ts';

/** A dimension: a number when fixed, null when dynamic (a symbolic name or -1 in the file). */
export type Dim = number | null;

export interface TensorInfo {
  name: string;
  shape: Dim[] | undefined;
}

export interface ModelSignature {
  file: string;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
}

export type Layout = 'nchw' | 'nhwc';

export interface FrozenOptions {
  /** Name of the output (ONNX) or graph node (TF.js) whose values are the features. */
  output?: string;
  /** [height, width] images are resized to; default: the model's fixed input size, else the images' own. */
  size?: [number, number];
  /** Per-channel normalisation (x − mean) / std after scaling to [0, 1]; default none. */
  mean?: number[];
  std?: number[];
  /** Images per forward pass. */
  batchSize?: number;
}

export interface InputPlan {
  name: string;
  layout: Layout;
  channels: 1 | 3;
  /** Size to resize to, or undefined to keep the images' own (a fully dynamic input). */
  size: [number, number] | undefined;
}

export const toDim = (d: unknown): Dim => (typeof d === 'number' && d >= 0 ? d : null);

/** The one image input: rank 4, channels 1 or 3 either second (NCHW) or last (NHWC); sizes agree with `options.size`. */
export function planInput(signature: ModelSignature, options: FrozenOptions): InputPlan {
  const { file } = signature;
  if (signature.inputs.length !== 1) {
    throw new ModelFileError(
      file,
      `a frozen backbone takes one image input, this model has ${signature.inputs.length} (${signature.inputs.map((i) => i.name).join(', ')})`,
      'input',
    );
  }
  const [input] = signature.inputs;
  const shape = input.shape;
  if (!shape || shape.length !== 4) {
    throw new ModelFileError(
      file,
      `input '${input.name}' has rank ${shape?.length ?? 'unknown'} (shape [${(shape ?? []).map(show).join(', ')}]); an image backbone needs rank 4, NCHW or NHWC`,
      'input',
    );
  }
  const isChannels = (d: Dim) => d === 1 || d === 3;
  let layout: Layout;
  if (isChannels(shape[1]) && !isChannels(shape[3])) layout = 'nchw';
  else if (isChannels(shape[3]) && !isChannels(shape[1])) layout = 'nhwc';
  else
    throw new ModelFileError(
      file,
      `cannot tell whether input '${input.name}' [${shape.map(show).join(', ')}] is NCHW or NHWC (channels must be a fixed 1 or 3)`,
      'input',
    );
  const [height, width] = layout === 'nchw' ? [shape[2], shape[3]] : [shape[1], shape[2]];
  const channels = (layout === 'nchw' ? shape[1] : shape[3]) as 1 | 3;
  if (options.size) {
    const [h, w] = options.size;
    if ((height !== null && height !== h) || (width !== null && width !== w)) {
      throw new ModelFileError(
        file,
        `input '${input.name}' takes ${show(height)}×${show(width)} images, the study asks for size [${h}, ${w}]`,
        'input',
      );
    }
  }
  const size = options.size ?? (height !== null && width !== null ? ([height, width] as [number, number]) : undefined);
  for (const [what, values] of [
    ['mean', options.mean],
    ['std', options.std],
  ] as const) {
    if (values && values.length !== 3 && values.length !== channels) {
      throw new ModelFileError(
        file,
        `${what} has ${values.length} values; the model reads ${channels} channel(s)`,
        'input',
      );
    }
  }
  if (options.std?.some((s) => !(s > 0))) throw new ModelFileError(file, 'std values must be positive', 'input');
  return { name: input.name, layout, channels, size };
}

/** The output to read features from: the named one, or the only one. */
export function chooseOutput(
  signature: ModelSignature,
  output: string | undefined,
  known: string[] = signature.outputs.map((o) => o.name),
): string {
  const names = signature.outputs.map((o) => o.name);
  if (output === undefined) {
    if (names.length === 1) return names[0];
    throw new ModelFileError(
      signature.file,
      `the model has outputs ${names.join(', ')}: name one with \`output\``,
      'output',
    );
  }
  if (!known.includes(output))
    throw new ModelFileError(signature.file, `no output '${output}' (outputs: ${names.join(', ')})`, 'output');
  return output;
}

const show = (d: Dim | undefined) => (d === null || d === undefined ? '?' : String(d));
