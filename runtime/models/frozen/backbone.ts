// A frozen feature extractor: images in, one feature row per image out. Batching is shared by both kinds.
import type { Images } from './preprocess.ts';

export interface FrozenBackbone {
  file: string;
  /** The output (or node) the features come from. */
  output: string;
  /** Features of every image, N × dim, image-major. */
  features(images: Images): Promise<{ features: Float32Array; dim: number }>;
  dispose(): Promise<void>;
}

/** Runs `batch` over [start, start + count) slices and stacks the rows. */
export async function inBatches(
  images: Images,
  batchSize: number,
  batch: (start: number, count: number) => Promise<{ data: Float32Array; dim: number }>,
): Promise<{ features: Float32Array; dim: number }> {
  let features: Float32Array | undefined;
  let dim = 0;
  for (let start = 0; start < images.size; start += batchSize) {
    const count = Math.min(batchSize, images.size - start);
    const out = await batch(start, count);
    if (!features) {
      dim = out.dim;
      features = new Float32Array(images.size * dim);
    }
    features.set(out.data.subarray(0, count * dim), start * dim);
  }
  return { features: features ?? new Float32Array(0), dim };
}
