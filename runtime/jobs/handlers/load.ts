// `load`: read a data source once; every distribution built on it starts from these two parts (three when
// the source's files name a val part).
import { join } from 'node:path';
import { writeDataset } from '../../data/serialise.ts';
import { loadSource } from '../../data/sources/index.ts';
import type { JobContext } from '../../exec/handler.ts';
import type { LoadJobSpec } from '../specs.ts';
import { specOf, studyDir } from './artifacts.ts';

export async function load(ctx: JobContext): Promise<void> {
  const spec = specOf<LoadJobSpec>(ctx);
  const loaded = await loadSource(spec.source, spec.seed, studyDir(ctx));
  await writeDataset(join(ctx.outDir, 'train'), loaded.train);
  await writeDataset(join(ctx.outDir, 'test'), loaded.test);
  if (loaded.val) await writeDataset(join(ctx.outDir, 'val'), loaded.val);
}
