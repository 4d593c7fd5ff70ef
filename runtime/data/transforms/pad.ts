// `pad { pixels 2 }`: a black border, then resized back (see padThenResize): the shape never changes.
import { padThenResize } from '../image.ts';
import { imageDims } from '../ops.ts';
import { count } from '../../schema.ts';
import type { TransformDef } from './transform.ts';
import { warpEach } from './warp.ts';

export const pad: TransformDef = {
  doc: 'shrink the content inside a blank border of `pixels`',
  attributes: { pixels: count('border width; the image is shrunk to keep its size', 2, 0) },
  records: [],
  input: 'image',
  support: [{ feature: 'pad', shift: 'pixels' }],
  apply(ds, params) {
    const pixels = params.pixels as number;
    return pixels === 0 ? ds : warpEach(ds, padThenResize(imageDims(ds, 'pad'), pixels), imageDims(ds, 'pad'));
  },
};
