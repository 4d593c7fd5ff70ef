// Images as the runtime holds them (example-major Float32Array, height × width × channels, values in
// [0, 1]) turned into one batch in a model's layout: grey → RGB by repeating the channel, bilinear resize
// exactly as PyTorch's F.interpolate(mode='bilinear', align_corners=False) without antialiasing (so an
// exported model sees what it saw in PyTorch), then (x − mean) / std per channel, then NCHW or NHWC.
import type { InputPlan } from './signature.ts';

export interface Images {
  /** [height, width, channels] of one image. */
  shape: number[];
  size: number;
  x: Float32Array;
}

export interface Normalisation {
  mean?: number[];
  std?: number[];
}

/** Images [start, start + count) as a flat batch in the plan's layout, with its tensor shape. */
export function prepareBatch(
  images: Images,
  start: number,
  count: number,
  plan: InputPlan,
  norm: Normalisation,
): { data: Float32Array; dims: number[] } {
  const [inH, inW, inC] = images.shape;
  if (inC !== 1 && inC !== 3) throw new Error(`images have ${inC} channels; a frozen backbone reads 1 or 3`);
  const [outH, outW] = plan.size ?? [inH, inW];
  const C = plan.channels;
  if (C === 1 && inC === 3) throw new Error('the model reads grey images (1 channel); these have 3');
  const data = new Float32Array(count * outH * outW * C);
  const rows = axis(inH, outH);
  const cols = axis(inW, outW);
  const mean = Array.from({ length: C }, (_, c) => norm.mean?.[c] ?? 0);
  const std = Array.from({ length: C }, (_, c) => norm.std?.[c] ?? 1);
  const imageLength = inH * inW * inC;
  for (let n = 0; n < count; n++) {
    const src = images.x.subarray((start + n) * imageLength, (start + n + 1) * imageLength);
    for (let r = 0; r < outH; r++) {
      const { i0: r0, i1: r1, t: tr } = rows[r];
      for (let q = 0; q < outW; q++) {
        const { i0: c0, i1: c1, t: tc } = cols[q];
        for (let c = 0; c < C; c++) {
          const k = inC === 1 ? 0 : c;
          const at = (row: number, col: number) => src[(row * inW + col) * inC + k];
          const top = at(r0, c0) * (1 - tc) + at(r0, c1) * tc;
          const bottom = at(r1, c0) * (1 - tc) + at(r1, c1) * tc;
          const value = (top * (1 - tr) + bottom * tr - mean[c]) / std[c];
          const out =
            plan.layout === 'nhwc' ? ((n * outH + r) * outW + q) * C + c : ((n * C + c) * outH + r) * outW + q;
          data[out] = value;
        }
      }
    }
  }
  const dims = plan.layout === 'nhwc' ? [count, outH, outW, C] : [count, C, outH, outW];
  return { data, dims };
}

/** For each output index along one axis: the two source indices and the weight of the second (PyTorch's rule). */
function axis(inSize: number, outSize: number): { i0: number; i1: number; t: number }[] {
  const scale = inSize / outSize;
  return Array.from({ length: outSize }, (_, o) => {
    const source = Math.max(0, scale * (o + 0.5) - 0.5);
    const i0 = Math.min(Math.floor(source), inSize - 1);
    const i1 = Math.min(i0 + 1, inSize - 1);
    return { i0, i1, t: source - i0 };
  });
}
