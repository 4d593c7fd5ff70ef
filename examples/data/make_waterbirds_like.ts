// Writes a Waterbirds-like image folder: real MNIST digits (the "bird": y = 0 for digits 0–4, 1 for 5–9)
// pasted on real Fashion-MNIST images used as background textures, tinted by a `place` attribute (0 = "land",
// green; 1 = "water", blue). In the reference part (split train/val) place agrees with y for 95% of the
// images; in the shifted part (split test) place is drawn independently (balanced), as in Waterbirds.
// Deterministic: the same seed writes the same bytes. Usage:
//   node --import tsx examples/data/make_waterbirds_like.ts OUT_DIR [COUNT] [SIDE]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadSource } from '../../runtime/data/sources/index.ts';
import { Random } from '../../runtime/random.ts';

export interface WaterbirdsLikeOptions {
  count: number;
  /** Side of the square images (28-pixel sources are upscaled). */
  side?: number;
  seed?: number;
  /** Fraction of images in the shifted (test) part. */
  shifted?: number;
  /** P(place = y) in the reference part. */
  correlation?: number;
}

const TINTS = [
  [0.35, 0.75, 0.3], // land
  [0.25, 0.45, 0.95], // water
];

/** Writes `dir/metadata.csv` (img_filename, y, split, place, digit) and `dir/images/*.png`. */
export async function makeWaterbirdsLike(dir: string, options: WaterbirdsLikeOptions): Promise<void> {
  const { count, side = 64, seed = 0, shifted = 0.3, correlation = 0.95 } = options;
  const digits = (await loadSource({ kind: 'mnist', params: { train: Math.min(count, 60000), test: 1 } }, seed)).train;
  const textures = (
    await loadSource({ kind: 'fashion_mnist', params: { train: Math.min(count, 60000), test: 1 } }, seed + 1)
  ).train;
  const random = new Random(seed);
  mkdirSync(join(dir, 'images'), { recursive: true });
  const rows = ['img_filename,y,split,place,digit'];
  const digitSide = Math.round(side * 0.6);
  const offset = Math.floor((side - digitSide) / 2);
  for (let i = 0; i < count; i++) {
    const d = i % digits.size;
    const digit = digits.y[d];
    const y = digit >= 5 ? 1 : 0;
    const test = random.next() < shifted;
    const place = test ? (random.next() < 0.5 ? 0 : 1) : random.next() < correlation ? y : 1 - y;
    const split = test ? 2 : random.next() < 0.15 ? 1 : 0;
    const pixels = Buffer.alloc(side * side * 3);
    const t = i % textures.size;
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        // Nearest-neighbour upscaling keeps this loop cheap; the decoder resizes properly.
        const background =
          0.25 + 0.6 * textures.x[t * 784 + Math.floor((r * 28) / side) * 28 + Math.floor((c * 28) / side)];
        const inDigit = r >= offset && r < offset + digitSide && c >= offset && c < offset + digitSide;
        const ink = inDigit
          ? digits.x[
              d * 784 + Math.floor(((r - offset) * 28) / digitSide) * 28 + Math.floor(((c - offset) * 28) / digitSide)
            ]
          : 0;
        for (let k = 0; k < 3; k++) {
          const value = (1 - ink) * background * TINTS[place][k] + ink;
          pixels[(r * side + c) * 3 + k] = Math.round(255 * Math.min(1, value));
        }
      }
    }
    const name = `images/${String(i).padStart(6, '0')}.png`;
    await sharp(pixels, { raw: { width: side, height: side, channels: 3 } })
      .png()
      .toFile(join(dir, name));
    rows.push(`${name},${y},${split},${place},${digit}`);
  }
  writeFileSync(join(dir, 'metadata.csv'), `${rows.join('\n')}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, count = '2000', side = '64'] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: make_waterbirds_like.ts OUT_DIR [COUNT] [SIDE]\n');
    process.exit(2);
  }
  await makeWaterbirdsLike(dir, { count: Number(count), side: Number(side) });
  process.stdout.write(`wrote ${count} images and metadata.csv to ${dir}\n`);
}
