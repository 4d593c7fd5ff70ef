// Transforms that warp each image: vflip, hflip (each with probability p), pad, rotate.
import type { Dataset } from '../dataset.ts';
import { horizontalFlip, padThenResize, rotation, verticalFlip, warp, type Affine, type ImageDims } from '../image.ts';
import { exampleLength, imageDims } from '../ops.ts';
import { numberParam } from '../params.ts';
import type { Transform } from './transform.ts';

/** Warps each example chosen by `pick` (all by default); the others are copied unchanged. */
function warpEach(ds: Dataset, m: Affine, dims: ImageDims, pick: (i: number) => boolean = () => true): Dataset {
  const length = exampleLength(ds.shape);
  const x = ds.x.slice();
  for (let i = 0; i < ds.size; i++) if (pick(i)) warp(ds.x, i * length, x, i * length, dims, m);
  return { ...ds, x };
}

/** A flip applied with probability p; records the attribute `name` (1 for flipped examples). */
function flip(name: 'vflip' | 'hflip', map: (dims: ImageDims) => Affine): Transform {
  return (ds, params, { random }) => {
    const p = numberParam(params, name, 'p', 1, { min: 0, max: 1 });
    const dims = imageDims(ds, name);
    const flipped = new Int32Array(ds.size);
    for (let i = 0; i < ds.size; i++) flipped[i] = random.chance(p) ? 1 : 0;
    const out = warpEach(ds, map(dims), dims, (i) => flipped[i] === 1);
    return { ...out, attributes: { ...ds.attributes, [name]: flipped } };
  };
}

export const vflip = flip('vflip', verticalFlip);
export const hflip = flip('hflip', horizontalFlip);

/** Black border then resize back to the same size (see padThenResize): the shape never changes. */
export const pad: Transform = (ds, params) => {
  const pixels = numberParam(params, 'pad', 'pixels', 2, { min: 0 });
  return pixels === 0 ? ds : warpEach(ds, padThenResize(imageDims(ds, 'pad'), pixels), imageDims(ds, 'pad'));
};

/** Every image rotated by the same angle (counter-clockwise, degrees); corners filled black. */
export const rotate: Transform = (ds, params) => {
  const degrees = numberParam(params, 'rotate', 'degrees', 15);
  return warpEach(ds, rotation(imageDims(ds, 'rotate'), degrees), imageDims(ds, 'rotate'));
};
