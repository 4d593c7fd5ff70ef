// Random augmentation applied afresh to every training batch (`augment { .. }` in a distribution). The
// transform only records the settings on the dataset; the trainer calls augmentBatch on each batch it cuts.
import { DataError } from './errors.ts';
import { horizontalFlip, padThenResize, PALETTE, rotation, tint, verticalFlip, warp, type ImageDims } from './image.ts';
import type { Random } from '../random.ts';
import { count, num, probability, type ParamTable } from '../schema.ts';

/** The strength of augment's random tint. */
export const AUGMENT_TINT_STRENGTH = 0.25;

/** The settings `augment` accepts (its parameter schema); each is off at 0. */
export const AUGMENT_SETTINGS = {
  vflip: probability('probability of a vertical flip', 0),
  hflip: probability('probability of a horizontal flip', 0),
  invert: probability('probability of inverting (x ← 1 − x)', 0),
  tint: probability(`probability of a tint with a random palette colour (strength ${AUGMENT_TINT_STRENGTH})`, 0),
  pad: count('largest random border in pixels (uniform whole number 0..pad, then resized back)', 0, 0),
  rotate: num('largest random rotation, in degrees (uniform in ±rotate)', { min: 0, max: 180 }, 0),
  noise: num(
    'largest noise standard deviation (uniform in 0..noise per example; images clipped to [0, 1])',
    { min: 0 },
    0,
  ),
} satisfies ParamTable;

export type AugmentSetting = keyof typeof AUGMENT_SETTINGS;

/** Settings that only make sense for images; vector data (gaussian) accepts noise alone. */
export const IMAGE_ONLY_SETTINGS: readonly AugmentSetting[] = ['vflip', 'hflip', 'pad', 'rotate', 'invert', 'tint'];

/** Per-example noise of a random spread up to `largest`; images are clipped back to [0, 1]. */
function addNoise(x: Float32Array, from: number, to: number, largest: number, clip: boolean, random: Random): void {
  const std = largest * random.next();
  for (let j = from; j < to; j++) {
    const value = x[j] + std * random.normal();
    x[j] = clip ? Math.min(1, Math.max(0, value)) : value;
  }
}

/**
 * Augments `count` examples of `shape` stored in `x`, in place, and returns x. Per image, in order: flips,
 * pad, rotation, inversion, tint, noise. Tinting needs 3 channels: the `augment` transform already made grey
 * data 3-channel so the shape never changes between batches. Vector data takes noise only.
 */
export function augmentBatch(
  augmentation: Record<string, number>,
  x: Float32Array,
  shape: number[],
  count: number,
  random: Random,
): Float32Array {
  const setting = (name: AugmentSetting) => augmentation[name] ?? 0;
  if (shape.length !== 3) {
    const imageOnly = IMAGE_ONLY_SETTINGS.find((name) => setting(name) > 0);
    if (imageOnly) throw new DataError(`augment ${imageOnly} needs images, got shape [${shape.join(', ')}]`);
    const length = shape.reduce((product, side) => product * side, 1);
    if (setting('noise') > 0)
      for (let n = 0; n < count; n++) addNoise(x, n * length, (n + 1) * length, setting('noise'), false, random);
    return x;
  }
  const dims: ImageDims = { height: shape[0], width: shape[1], channels: shape[2] };
  const length = dims.height * dims.width * dims.channels;
  if (setting('tint') > 0 && dims.channels !== 3)
    throw new DataError(`augment tint needs 3 channels, got ${dims.channels}`);
  const scratch = new Float32Array(length);
  const apply = (transform: (from: Float32Array, to: Float32Array) => void, offset: number) => {
    scratch.set(x.subarray(offset, offset + length));
    transform(scratch, x.subarray(offset, offset + length));
  };
  for (let n = 0; n < count; n++) {
    const offset = n * length;
    if (random.chance(setting('vflip'))) apply((from, to) => warp(from, 0, to, 0, dims, verticalFlip(dims)), offset);
    if (random.chance(setting('hflip'))) apply((from, to) => warp(from, 0, to, 0, dims, horizontalFlip(dims)), offset);
    if (setting('pad') > 0) {
      const pixels = random.int(Math.floor(setting('pad')) + 1);
      if (pixels > 0) apply((from, to) => warp(from, 0, to, 0, dims, padThenResize(dims, pixels)), offset);
    }
    if (setting('rotate') > 0) {
      const degrees = (2 * random.next() - 1) * setting('rotate');
      apply((from, to) => warp(from, 0, to, 0, dims, rotation(dims, degrees)), offset);
    }
    if (random.chance(setting('invert'))) for (let j = offset; j < offset + length; j++) x[j] = 1 - x[j];
    if (random.chance(setting('tint'))) {
      const colour = PALETTE[random.int(PALETTE.length)];
      apply((from, to) => tint(from, 0, 3, to, 0, dims.height * dims.width, colour, AUGMENT_TINT_STRENGTH), offset);
    }
    if (setting('noise') > 0) addNoise(x, offset, offset + length, setting('noise'), true, random);
  }
  return x;
}
