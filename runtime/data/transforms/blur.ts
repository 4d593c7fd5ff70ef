// `blur { radius 1 }`: a box blur. Each pixel becomes the mean of the (2r+1)×(2r+1) window around it,
// per channel; near the border only the pixels inside the image count, so a constant image stays constant.
import type { Dataset } from '../dataset.ts';
import { imageDims } from '../ops.ts';
import { count } from '../../schema.ts';
import type { TransformDef } from './transform.ts';

/** Mean over a window of `radius` along one axis: `stride` apart, `length` values from `offset`. */
function boxLine(
  from: Float32Array,
  to: Float32Array,
  offset: number,
  stride: number,
  length: number,
  radius: number,
): void {
  for (let i = 0; i < length; i++) {
    const lo = Math.max(0, i - radius);
    const hi = Math.min(length - 1, i + radius);
    let sum = 0;
    for (let k = lo; k <= hi; k++) sum += from[offset + k * stride];
    to[offset + i * stride] = sum / (hi - lo + 1);
  }
}

/** The box blur is separable: rows then columns give the same window mean as the 2-D window. */
function boxBlur(ds: Dataset, radius: number): Dataset {
  const { height, width, channels } = imageDims(ds, 'blur');
  const length = height * width * channels;
  const rows = new Float32Array(ds.x.length);
  const x = new Float32Array(ds.x.length);
  for (let n = 0; n < ds.size; n++) {
    const base = n * length;
    for (let c = 0; c < channels; c++) {
      for (let r = 0; r < height; r++) boxLine(ds.x, rows, base + r * width * channels + c, channels, width, radius);
      for (let col = 0; col < width; col++)
        boxLine(rows, x, base + col * channels + c, width * channels, height, radius);
    }
  }
  return { ...ds, x };
}

export const blur: TransformDef = {
  doc: 'box blur: each pixel the mean of the (2r+1)² window around it',
  attributes: { radius: count('window radius in pixels (0: unchanged)', 1, 0) },
  records: [],
  input: 'image',
  // Blurred strokes are a feature state sharp data never shows: a larger radius is out of support.
  support: [{ feature: 'blur', shift: 'radius' }],
  apply(ds, params) {
    const radius = params.radius as number;
    return radius === 0 ? ds : boxBlur(ds, radius);
  },
};
