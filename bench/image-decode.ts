// Image-folder decoding speed and memory: 10,000 64×64×3 PNGs (real digits pasted on real clothes
// textures, written once into a temp folder by examples/data/make_waterbirds_like.ts) decoded in parallel
// by runtime/data/image-folder into one uint8 tensor, without a cache (every image decoded), after a
// digest of every file. Goal: < 20 s on 2 cores and < 1 GiB peak RSS. Usage:
//   node --import tsx bench/image-decode.ts [COUNT] [FOLDER]
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadImageFolder } from '../runtime/data/image-folder/index.ts';
import { makeWaterbirdsLike } from '../examples/data/make_waterbirds_like.ts';
import { describeMachine } from './lib/machine.ts';

const count = Number(process.argv[2] ?? 10000);
const dir = process.argv[3] ?? join(tmpdir(), `shiftlab-bench-images-${count}`);
if (!existsSync(join(dir, 'metadata.csv'))) {
  const start = performance.now();
  await makeWaterbirdsLike(dir, { count, side: 64 });
  console.log(`generated ${count} images in ${((performance.now() - start) / 1000).toFixed(1)} s into ${dir}`);
}
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const start = performance.now();
const folder = await loadImageFolder({
  csv: join(dir, 'metadata.csv'),
  file: 'img_filename',
  label: 'y',
  split: 'split',
  attributes: ['place'],
});
const seconds = (performance.now() - start) / 1000;
peak = Math.max(peak, process.memoryUsage().rss);
clearInterval(sampler);
const machine = describeMachine();
console.log(
  JSON.stringify(
    {
      images: folder.size,
      shape: folder.shape,
      seconds: Number(seconds.toFixed(2)),
      imagesPerSecond: Math.round(folder.size / seconds),
      peakRssMiB: Math.round(peak / 2 ** 20),
      machine,
    },
    null,
    2,
  ),
);
