// Decoding an image folder into one uint8 tensor (N × H × W × C, row-major, example-major) with sharp
// (libvips), many images in flight at once: libvips decodes on libuv's thread pool, so the pool's threads
// stay busy while this thread reads the next files. Each image is written straight into its slot of the
// one output array, so memory is the tensor plus a few compressed files, whatever N is.
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { default as Sharp, OutputInfo } from 'sharp';
import { DataError } from '../errors.ts';

export interface DecodeOptions {
  /** [height, width]; default: the first image's size. */
  size?: [number, number];
  channels: 1 | 3;
  /** Images in flight at once; default twice the cores (one decoding, one being read, per thread). */
  concurrency?: number;
  /** For error messages: where each image is named (`csv:line`). */
  origin?: (index: number) => string;
}

export interface DecodedImages {
  pixels: Uint8Array;
  /** [height, width, channels] of one image. */
  shape: [number, number, number];
}

export async function decodeImages(files: readonly string[], options: DecodeOptions): Promise<DecodedImages> {
  const origin = options.origin ?? (() => 'image list');
  if (files.length === 0) throw new DataError(`${origin(0)}: no images to decode`);
  const [height, width] = options.size ?? (await firstSize(files[0], origin(0)));
  if (![height, width].every((side) => Number.isInteger(side) && side >= 1)) {
    throw new DataError(`${origin(0)}: image size must be two whole numbers ≥ 1, got [${height}, ${width}]`);
  }
  const { channels } = options;
  const length = height * width * channels;
  const pixels = new Uint8Array(files.length * length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < files.length && !failed) {
      const at = next++;
      try {
        const bytes = await readImage(files[at], origin(at));
        pixels.set(await decodeOne(bytes, files[at], origin(at), height, width, channels), at * length);
      } catch (error) {
        failed = true; // the other workers stop after their current image
        throw error;
      }
    }
  };
  const concurrency = Math.max(1, options.concurrency ?? 2 * availableParallelism());
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return { pixels, shape: [height, width, channels] };
}

/** sharp (libvips, a native addon) loads on the first decode, not when `check` reads the image source's definition. */
async function loadSharp(): Promise<typeof Sharp> {
  return (await import('sharp')).default;
}

async function readImage(file: string, origin: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'is missing' : `cannot be read (${code ?? String(error)})`;
    throw new DataError(`${origin}: image ${file} ${what}`);
  }
}

async function firstSize(file: string, origin: string): Promise<[number, number]> {
  const bytes = await readImage(file, origin);
  try {
    const { height, width } = await (await loadSharp())(bytes).metadata();
    if (height && width) return [height, width];
  } catch (error) {
    throw new DataError(`${origin}: image ${file} cannot be decoded (${(error as Error).message})`);
  }
  throw new DataError(`${origin}: image ${file} has no size`);
}

/**
 * One image as height × width × channels bytes. `failOn: 'truncated'` refuses cut-off files (libvips would
 * otherwise pad them with grey) but lets through the harmless warnings some real-world JPEGs raise.
 * Alpha is dropped, not blended (as PIL's convert('RGB') does), and the image is stretched to the size.
 */
async function decodeOne(
  bytes: Buffer,
  file: string,
  origin: string,
  height: number,
  width: number,
  channels: 1 | 3,
): Promise<Uint8Array> {
  const sharp = await loadSharp();
  let data: Buffer;
  let info: OutputInfo;
  try {
    ({ data, info } = await sharp(bytes, { failOn: 'truncated' })
      .removeAlpha()
      .toColourspace(channels === 1 ? 'b-w' : 'srgb')
      .resize(width, height, { fit: 'fill' })
      .raw()
      .toBuffer({ resolveWithObject: true }));
  } catch (error) {
    throw new DataError(`${origin}: image ${file} cannot be decoded (${(error as Error).message})`);
  }
  if (info.channels !== channels || data.length !== height * width * channels) {
    throw new DataError(
      `${origin}: image ${file} decoded to ${info.width}×${info.height}×${info.channels}, expected ${width}×${height}×${channels}`,
    );
  }
  return data;
}
