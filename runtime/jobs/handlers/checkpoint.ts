// `checkpoint`: expose one saved epoch of a training run as a model of its own.
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobContext } from '../../exec/handler.ts';
import { MODEL_DIR, type CheckpointJobSpec } from '../specs.ts';
import { depDir, specOf } from './artifacts.ts';

export async function checkpoint(ctx: JobContext): Promise<void> {
  const { epoch } = specOf<CheckpointJobSpec>(ctx);
  const saved = join(depDir(ctx, 0), 'checkpoints', `epoch-${epoch}`);
  await cp(saved, join(ctx.outDir, MODEL_DIR), { recursive: true }).catch(() => {
    throw new Error(`the training run saved no checkpoint for epoch ${epoch}`);
  });
}
