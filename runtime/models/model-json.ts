// What a TF.js layers model.json tells without loading TF.js: the weight files it names and where its head is.
// The checker and the planner read these (the `load` architecture, the `layers` backbone); loading the model
// is persist.ts's and user.ts's.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Params } from '../data/specs.ts';
import type { InputFile } from '../input-files.ts';

const TRAILING = new Set(['Activation', 'Softmax', 'Dropout']);

/**
 * The weight files a layers model.json names (absolute, in manifest order), read without loading anything
 * else; none when the JSON cannot be read or parsed (loading it then reports why).
 */
export function weightShards(path: string): string[] {
  let json: { weightsManifest?: { paths?: unknown[] }[] };
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as typeof json;
  } catch {
    return [];
  }
  if (!Array.isArray(json.weightsManifest)) return [];
  const folder = dirname(resolve(path));
  return json.weightsManifest.flatMap((group) =>
    Array.isArray(group?.paths)
      ? group.paths.filter((shard) => typeof shard === 'string').map((shard) => join(folder, shard))
      : [],
  );
}

/** A model.json's input files (itself, then every weight shard), all under its `path` parameter. */
export function modelJsonInputFiles(params: Params): InputFile[] {
  const json = params.path as string;
  return [json, ...weightShards(json)].map((path) => ({ param: 'path', path }));
}

/**
 * The index of the head: the last dense layer, after which only activation, softmax or dropout layers may
 * follow; null when the model does not end so. Takes class names, so model.json can be checked unloaded.
 */
export function headIndex(classNames: readonly string[]): number | null {
  for (let i = classNames.length - 1; i >= 0; i--) {
    if (classNames[i] === 'Dense') return i;
    if (!TRAILING.has(classNames[i])) break;
  }
  return null;
}
