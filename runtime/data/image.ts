// Per-example image operations on example-major Float32Arrays (height × width × channels), shared by the
// eager transforms and per-batch augmentation. Geometric ones are affine warps with bilinear sampling and
// black (0) outside the image; integer-aligned maps (flips) therefore reproduce pixels exactly.

export interface ImageDims {
  height: number;
  width: number;
  channels: number;
}

/** Maps an output pixel (row, column) to the source position it samples: row = a·r + b·c + e, column = c·r + d·c + f. */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

export function warp(
  src: Float32Array,
  srcOffset: number,
  dst: Float32Array,
  dstOffset: number,
  dims: ImageDims,
  m: Affine,
): void {
  const { height, width, channels } = dims;
  // Offset of source pixel (row, column), or -1 when it lies outside the image or gets no weight.
  const neighbour = (row: number, column: number, weight: number) =>
    weight === 0 || row < 0 || row >= height || column < 0 || column >= width
      ? -1
      : srcOffset + (row * width + column) * channels;
  let out = dstOffset;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++, out += channels) {
      const row = m.a * r + m.b * c + m.e;
      const column = m.c * r + m.d * c + m.f;
      const row0 = Math.floor(row);
      const column0 = Math.floor(column);
      const fr = row - row0;
      const fc = column - column0;
      const w00 = (1 - fr) * (1 - fc);
      const w01 = (1 - fr) * fc;
      const w10 = fr * (1 - fc);
      const w11 = fr * fc;
      const i00 = neighbour(row0, column0, w00);
      const i01 = neighbour(row0, column0 + 1, w01);
      const i10 = neighbour(row0 + 1, column0, w10);
      const i11 = neighbour(row0 + 1, column0 + 1, w11);
      for (let k = 0; k < channels; k++) {
        let value = 0;
        if (i00 >= 0) value += w00 * src[i00 + k];
        if (i01 >= 0) value += w01 * src[i01 + k];
        if (i10 >= 0) value += w10 * src[i10 + k];
        if (i11 >= 0) value += w11 * src[i11 + k];
        dst[out + k] = value;
      }
    }
  }
}

export function verticalFlip({ height }: ImageDims): Affine {
  return { a: -1, b: 0, c: 0, d: 1, e: height - 1, f: 0 };
}

export function horizontalFlip({ width }: ImageDims): Affine {
  return { a: 1, b: 0, c: 0, d: -1, e: 0, f: width - 1 };
}

/**
 * A black border of `pixels` on every side, then the (height + 2p) × (width + 2p) result resized back to
 * height × width: the content shrinks and the example keeps its shape, so one model reads both.
 */
export function padThenResize({ height, width }: ImageDims, pixels: number): Affine {
  const rowScale = (height + 2 * pixels) / height;
  const columnScale = (width + 2 * pixels) / width;
  // Pixel centres of the output map to pixel centres of the padded image, shifted back by the border.
  return {
    a: rowScale,
    b: 0,
    c: 0,
    d: columnScale,
    e: 0.5 * rowScale - 0.5 - pixels,
    f: 0.5 * columnScale - 0.5 - pixels,
  };
}

/** Rotation by `degrees` counter-clockwise (as displayed, rows growing downwards) about the image centre. */
export function rotation({ height, width }: ImageDims, degrees: number): Affine {
  const theta = (degrees * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const cy = (height - 1) / 2;
  const cx = (width - 1) / 2;
  return { a: cos, b: sin, c: -sin, d: cos, e: cy - cos * cy - sin * cx, f: cx + sin * cy - cos * cx };
}

/** Ten distinct RGB colours in [0, 1]; class c is tinted with PALETTE[c]. */
export const PALETTE: readonly (readonly [number, number, number])[] = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
  [1, 1, 0],
  [1, 0, 1],
  [0, 1, 1],
  [1, 0.5, 0],
  [0.5, 0, 1],
  [0, 0.5, 0.25],
  [1, 0.6, 0.8],
];

/**
 * The paper's tint x ← (1 − s)·x + s·colour on one example. `srcChannels` is 1 (grey, used for all three
 * colour channels) or 3; the destination always has 3 channels.
 */
export function tint(
  src: Float32Array,
  srcOffset: number,
  srcChannels: number,
  dst: Float32Array,
  dstOffset: number,
  pixels: number,
  colour: readonly number[],
  strength: number,
): void {
  const keep = 1 - strength;
  const red = strength * colour[0];
  const green = strength * colour[1];
  const blue = strength * colour[2];
  const step = srcChannels === 1 ? 0 : 1;
  for (let p = 0, from = srcOffset, to = dstOffset; p < pixels; p++, from += srcChannels, to += 3) {
    dst[to] = keep * src[from] + red;
    dst[to + 1] = keep * src[from + step] + green;
    dst[to + 2] = keep * src[from + 2 * step] + blue;
  }
}
