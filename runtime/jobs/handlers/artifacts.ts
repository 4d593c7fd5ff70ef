// Reading a job's inputs from its dependencies' cache entries and writing its own artifacts: the file
// layout specs.ts promises, in one place, so every handler reads and writes it the same way.
import type { ThresholdPoint } from '../../analysis/support-split.ts';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Dataset } from '../../data/dataset.ts';
import { subset } from '../../data/ops.ts';
import { readDataset } from '../../data/serialise.ts';
import type { JobContext } from '../../exec/handler.ts';
import type { ShiftlabModel } from '../../models/model.ts';
import { MODEL_DIR, type SplitName, type SupportPart } from '../specs.ts';

/** The artifact in which a tensor-computing job records the backend that computed it ({ name, detail }). */
export const BACKEND_ARTIFACT = 'backend.json';

/** The job's spec, typed by the handler that reads it (the planner wrote it to the contract in specs.ts). */
export function specOf<T>(ctx: JobContext): T {
  return ctx.job.spec as unknown as T;
}

/** The folder relative input paths resolve against: the study file's (the current directory for a plan without one). */
export function studyDir(ctx: JobContext): string {
  return ctx.study.dir ?? '.';
}

/** Artifact directory of the `index`-th dependency (in `job.deps` order). */
export function depDir(ctx: JobContext, index: number): string {
  const id = ctx.job.deps[index];
  if (id === undefined)
    throw new Error(`job ${ctx.job.id} expects a dependency at position ${index} but has ${ctx.job.deps.length}`);
  return ctx.deps[id];
}

export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

export async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

export async function readModel(dir: string): Promise<ShiftlabModel> {
  // Imported here, not at the top: results assembly reads this module's constants, and must not load TF.js.
  const { loadModel } = await import('../../models/persist.ts');
  return loadModel(join(dir, MODEL_DIR));
}

export function readSplit(transformDir: string, split: SplitName): Promise<Dataset> {
  return readDataset(join(transformDir, split));
}

/** What a `support-split` job leaves in `parts.json`. */
export interface PartsFile {
  inSupport: number[];
  outOfSupport: number[];
  auroc: number;
  auc: number;
  temperature: number | null;
  folds: number;
  threshold: number;
  /** Part sizes for `threshold` and every swept ε, ascending in ε. */
  sweep: ThresholdPoint[];
  /** log r of every shifted test example: what any ε's parts are cut from (`partsAt`). */
  logDensityRatio: number[];
  /** Each classifier candidate's swept value and held-out AUROC (2·AUC − 1); `chosen` indexes it. */
  candidates: { value: number | null; auroc: number }[];
  chosen: number;
}

/** One split of a distribution, or one support-split part of it (indices from the split job's parts.json). */
export async function readEvaluatedData(
  transformDir: string,
  split: SplitName,
  part: SupportPart | null,
  partsDir: string | undefined,
): Promise<Dataset> {
  const data = await readSplit(transformDir, split);
  if (part === null) return data;
  if (!partsDir) throw new Error(`evaluating part ${part} needs a support-split dependency`);
  const parts = await readJson<PartsFile>(join(partsDir, 'parts.json'));
  const indices = part === 'in_support' ? parts.inSupport : parts.outOfSupport;
  if (indices.length === 0) {
    throw new Error(
      `the ${part} part of the split is empty (of ${data.size} shifted examples): nothing to evaluate; a larger threshold ε or more test data may help`,
    );
  }
  return subset(data, indices);
}

/** What `predictions.json` holds; `predictions.bin` is size × classes float32 values, little-endian. */
export interface PredictionsHeader {
  size: number;
  classes: number;
}

/** The probabilities a predict job left in `dir`, checked against their header. */
export async function readPredictions(
  dir: string,
): Promise<{ header: PredictionsHeader; probabilities: Float32Array }> {
  const header = await readJson<PredictionsHeader>(join(dir, 'predictions.json'));
  const bytes = await readFile(join(dir, 'predictions.bin'));
  const probabilities = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  if (probabilities.length !== header.size * header.classes)
    throw new Error(
      `${dir}: predictions.bin holds ${probabilities.length} values, not ${header.size} × ${header.classes}`,
    );
  return { header, probabilities };
}

/** What a `metric` job leaves in `metrics.json`. */
export interface MetricsFile {
  values: Record<string, number>;
  /** Per metric, the N it was computed over (a worst group's own size); what clipping uses. */
  counts: Record<string, number>;
  /** The evaluated examples. */
  count: number;
}

export function readMetrics(dir: string): Promise<MetricsFile> {
  return readJson<MetricsFile>(join(dir, 'metrics.json'));
}

/** Reports each finished epoch to the executor. */
export function epochReporter(ctx: JobContext, epochs: number): (epoch: number, loss: number) => void {
  return (epoch, loss) => ctx.progress({ epoch, epochs, loss });
}

/**
 * A sweep candidate whose training diverged leaves `diverged.json` instead of a model; its predict and metric
 * jobs pass the marker on, and sweep-select scores it −∞ (as runtime/train `sweep` does in one process).
 */
export const DIVERGED_FILE = 'diverged.json';

export interface DivergedFile {
  reason: string;
}

/** The divergence marker in a dependency's artifacts, if any. */
export async function divergedIn(dir: string): Promise<DivergedFile | undefined> {
  const path = join(dir, DIVERGED_FILE);
  const present = await access(path).then(
    () => true,
    () => false,
  );
  return present ? readJson<DivergedFile>(path) : undefined;
}
