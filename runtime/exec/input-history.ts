// Which input file changed. A job that reads user files gets a new hash when one of them changes, so the cache
// alone can only say "not cached". To say "data changed: data/points.csv", every run of such a job records the
// digests it read under a key that leaves the digests out (its kind, spec, dependency hashes and input paths):
// `<cacheDir>/inputs/<key>.json`. A later plan of the same job with other digests finds that record and names
// the files whose content differs. The record is only a report: nothing is reused through it.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson, type InputDigest, type JsonValue } from '../plan.ts';

export const INPUTS_DIR = 'inputs';

/** What identifies a job across edits of its input files' content. */
export interface InputJob {
  kind: string;
  spec: JsonValue;
  inputs?: InputDigest[];
}

interface InputRecord {
  hash: string;
  inputs: InputDigest[];
}

/** The job's identity without its input digests (the same job reading the same paths has the same key). */
export function inputsKey(job: InputJob, depHashes: readonly string[]): string {
  const paths = (job.inputs ?? []).map((input) => input.path);
  return createHash('sha256')
    .update(canonicalJson({ kind: job.kind, spec: job.spec, deps: depHashes, paths }))
    .digest('hex');
}

/** Records the digests a job just ran with (nothing for a job that reads no user file). Best effort. */
export async function recordInputs(
  cacheDir: string,
  job: InputJob & { hash: string },
  depHashes: readonly string[],
): Promise<void> {
  if (!job.inputs?.length) return;
  const file = join(cacheDir, INPUTS_DIR, `${inputsKey(job, depHashes)}.json`);
  const record: InputRecord = { hash: job.hash, inputs: job.inputs };
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await mkdir(join(cacheDir, INPUTS_DIR), { recursive: true });
    await writeFile(temp, JSON.stringify(record));
    await rename(temp, file);
  } catch {
    // A read-only cache only loses the "data changed" line of a later plan.
    await unlink(temp).catch(() => undefined);
  }
}

/**
 * The input files (as the plan names them) whose content differs from the last recorded run of the same job,
 * in the job's order; empty when there is no such run or the job's hash is that run's.
 */
export async function changedInputs(
  cacheDir: string,
  job: InputJob & { hash: string },
  depHashes: readonly string[],
): Promise<string[]> {
  if (!job.inputs?.length) return [];
  let record: InputRecord;
  try {
    record = JSON.parse(
      await readFile(join(cacheDir, INPUTS_DIR, `${inputsKey(job, depHashes)}.json`), 'utf8'),
    ) as InputRecord;
  } catch {
    return [];
  }
  if (record.hash === job.hash || !Array.isArray(record.inputs)) return [];
  const changed = job.inputs.filter((input, i) => record.inputs[i]?.sha256 !== input.sha256).map((input) => input.path);
  return [...new Set(changed)];
}
