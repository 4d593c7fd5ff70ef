// A one-second calibration: how many training samples/s an architecture reaches on this machine's backend,
// for a wall-time estimate when no earlier run here recorded it. Random inputs of the right shape, the real
// training loop (so the figure includes batch assembly and the optimiser), on the calling thread.
import type { Dataset } from '../data/dataset.ts';
import { createModel } from '../models/create.ts';
import type { ModelSpec } from '../models/spec.ts';
import { Random } from '../random.ts';
import { recipe } from './recipe.ts';
import { train } from './train.ts';

/** Batches per calibration epoch: enough that per-epoch overhead stays small next to the steps. */
const BATCHES = 4;

/**
 * Trains a fresh `spec` model on random data for at least `seconds` (after one untimed warm-up epoch, which
 * pays for kernel compilation and first allocations) and returns the samples/s of the timed epochs.
 */
export async function calibrateTraining(
  spec: ModelSpec,
  shape: number[],
  classes: number,
  batch: number,
  seconds = 1,
): Promise<number> {
  const size = batch * BATCHES;
  const stride = shape.reduce((a, b) => a * b, 1);
  const random = new Random(0);
  const x = new Float32Array(size * stride);
  for (let i = 0; i < x.length; i++) x[i] = random.next();
  const y = Int32Array.from({ length: size }, (_, i) => i % classes);
  const data: Dataset = { shape, classes, size, x, y, attributes: {} };
  const model = await createModel(spec, shape, classes, 0);
  try {
    const epoch = recipe({ batch, epochs: 1 });
    await train(model, data, epoch, { seed: 0 });
    const started = performance.now();
    let samples = 0;
    while (performance.now() - started < seconds * 1000) {
      await train(model, data, epoch, { seed: samples });
      samples += size;
    }
    return samples / ((performance.now() - started) / 1000);
  } finally {
    model.dispose();
  }
}
