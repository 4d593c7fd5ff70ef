// `rotate { degrees 15 }`: every image rotated by the same angle (counter-clockwise); corners filled black.
import { rotation } from '../image.ts';
import { imageDims } from '../ops.ts';
import { num } from '../../schema.ts';
import type { TransformDef } from './transform.ts';
import { warpEach } from './warp.ts';

export const rotate: TransformDef = {
  doc: 'rotate by a fixed angle',
  attributes: { degrees: num('rotation angle', { min: -180, max: 180 }, 15) },
  records: [],
  input: 'image',
  support: [{ feature: 'rotate', shift: 'degrees' }],
  apply(ds, params) {
    return warpEach(ds, rotation(imageDims(ds, 'rotate'), params.degrees as number), imageDims(ds, 'rotate'));
  },
};
