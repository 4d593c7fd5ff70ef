// Transforms that change pixel values: noise, invert, tint.
import type { Dataset } from '../dataset.ts';
import { DataError } from '../errors.ts';
import { PALETTE, tint as tintExample } from '../image.ts';
import { exampleLength, imageDims } from '../ops.ts';
import { numberParam } from '../params.ts';
import type { Transform } from './transform.ts';

/** Gaussian noise of standard deviation `std`; images are clipped back to [0, 1], vectors are not. */
export const noise: Transform = (ds, params, { random }) => {
  const std = numberParam(params, 'noise', 'std', 0.1, { min: 0 });
  const clip = ds.shape.length === 3;
  const x = ds.x.slice();
  for (let j = 0; j < x.length; j++) {
    const value = x[j] + std * random.normal();
    x[j] = clip ? Math.min(1, Math.max(0, value)) : value;
  }
  return { ...ds, x };
};

/** x ← 1 − x with probability p; records `invert` (1 for inverted examples). */
export const invert: Transform = (ds, params, { random }) => {
  const p = numberParam(params, 'invert', 'p', 1, { min: 0, max: 1 });
  const length = exampleLength(ds.shape);
  const x = ds.x.slice();
  const inverted = new Int32Array(ds.size);
  for (let i = 0; i < ds.size; i++) {
    if (!random.chance(p)) continue;
    inverted[i] = 1;
    for (let j = i * length; j < (i + 1) * length; j++) x[j] = 1 - x[j];
  }
  return { ...ds, x, attributes: { ...ds.attributes, invert: inverted } };
};

/** Turns grey images into 3-channel ones (for tinting); colour images pass through. */
export function channelsForTint(ds: Dataset, transform: string): number {
  const { channels } = imageDims(ds, transform);
  if (channels !== 1 && channels !== 3) throw new DataError(`${transform} needs 1 or 3 channels, got ${channels}`);
  if (ds.classes > PALETTE.length) throw new DataError(`${transform} has ${PALETTE.length} colours, the data has ${ds.classes} classes`);
  return channels;
}

/**
 * The paper's spurious tint: x ← (1 − s)·x + s·colour, the colour being the label's own with probability
 * `spurious`, otherwise a uniformly random class's (which may again be the label's, as in the paper's code:
 * so the aligned fraction is spurious + (1 − spurious)/classes). Grey images become 3-channel. Records `tint`
 * (the colour's class) and `aligned` (1 when it is the label's).
 */
export const tint: Transform = (ds, params, { random }) => {
  const strength = numberParam(params, 'tint', 'strength', 0.25, { min: 0, max: 1 });
  const spurious = numberParam(params, 'tint', 'spurious', 0.5, { min: 0, max: 1 });
  const channels = channelsForTint(ds, 'tint');
  const { height, width } = imageDims(ds, 'tint');
  const pixels = height * width;
  const x = new Float32Array(ds.size * pixels * 3);
  const colours = new Int32Array(ds.size);
  const aligned = new Int32Array(ds.size);
  for (let i = 0; i < ds.size; i++) {
    const colour = random.chance(spurious) ? ds.y[i] : random.int(ds.classes);
    colours[i] = colour;
    aligned[i] = colour === ds.y[i] ? 1 : 0;
    tintExample(ds.x, i * pixels * channels, channels, x, i * pixels * 3, pixels, PALETTE[colour], strength);
  }
  return { ...ds, shape: [height, width, 3], x, attributes: { ...ds.attributes, tint: colours, aligned } };
};
