// The source registry: one line per `data` kind (each defined in its own file), and the loader entry point.
import { DataError } from '../errors.ts';
import type { Params } from '../specs.ts';
import { inputFilesOf, resolvePaths, type InputFile } from '../../input-files.ts';
import { withDefaults } from '../../schema.ts';
import { csv } from './csv-file.ts';
import { fashionMnist } from './fashion-mnist.ts';
import { gaussian } from './gaussian.ts';
import { idx } from './idx-files.ts';
import { images } from './image-folder.ts';
import type { LoadedSource } from './loaded.ts';
import { mnist } from './mnist.ts';
import type { SourceDef } from './source.ts';

export type { LoadedSource } from './loaded.ts';
export type { SourceDef } from './source.ts';

export const SOURCES = {
  mnist,
  fashion_mnist: fashionMnist,
  gaussian,
  idx,
  csv,
  images,
} as const satisfies Readonly<Record<string, SourceDef>>;

/** The `data` kinds: the registry's names. */
export type SourceKind = keyof typeof SOURCES;

/** A data source and its params (as its definition's schema declares them, validated by the checker). */
export interface SourceSpec {
  kind: SourceKind;
  params: Params;
}

export function sourceDef(kind: string): SourceDef {
  const def = (SOURCES as Record<string, SourceDef | undefined>)[kind];
  if (!def) throw new DataError(`unknown data source '${kind}' (known: ${Object.keys(SOURCES).join(', ')})`);
  return def;
}

/** A source spec's params with its definition's defaults and derived values (validated at check time). */
export function sourceParams(spec: SourceSpec): Params {
  return withDefaults(sourceDef(spec.kind), spec.params);
}

/** The user files a source reads (none for packaged or generated data); relative paths resolve against `dir`. */
export function sourceInputFiles(spec: SourceSpec, dir: string): InputFile[] {
  return inputFilesOf(sourceDef(spec.kind), sourceParams(spec), dir);
}

/**
 * Loads a source's train and test parts; the same spec, files and seed always give identical arrays.
 * Relative paths resolve against `dir`: the study file's folder (the current directory by default).
 */
export async function loadSource(spec: SourceSpec, seed: number, dir = '.'): Promise<LoadedSource> {
  const def = sourceDef(spec.kind);
  return def.load(resolvePaths(def, sourceParams(spec), dir), seed);
}
