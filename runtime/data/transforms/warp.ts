// Shared by the transforms that warp each image (vflip, hflip, pad, rotate).
import type { Dataset } from '../dataset.ts';
import { warp, type Affine, type ImageDims } from '../image.ts';
import { exampleLength, imageDims } from '../ops.ts';
import { probability } from '../../schema.ts';
import type { TransformDef } from './transform.ts';

/** Warps each example chosen by `pick` (all by default); the others are copied unchanged. */
export function warpEach(ds: Dataset, m: Affine, dims: ImageDims, pick: (i: number) => boolean = () => true): Dataset {
  const length = exampleLength(ds.shape);
  const x = ds.x.slice();
  for (let i = 0; i < ds.size; i++) if (pick(i)) warp(ds.x, i * length, x, i * length, dims, m);
  return { ...ds, x };
}

/** A flip applied with probability p; records the attribute `name` (1 for flipped examples). */
export function flipTransform(name: 'vflip' | 'hflip', map: (dims: ImageDims) => Affine, doc: string): TransformDef {
  return {
    doc,
    attributes: { p: probability('probability of flipping each example', 1) },
    records: [name],
    input: 'image',
    support: [{ feature: name, toggle: 'p' }],
    apply(ds, params, { random }) {
      const p = params.p as number;
      const dims = imageDims(ds, name);
      const flipped = new Int32Array(ds.size);
      for (let i = 0; i < ds.size; i++) flipped[i] = random.chance(p) ? 1 : 0;
      const out = warpEach(ds, map(dims), dims, (i) => flipped[i] === 1);
      return { ...out, attributes: { ...ds.attributes, [name]: flipped } };
    },
  };
}
