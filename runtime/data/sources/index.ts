// The source registry: one line per `data` kind (each defined in its own file), and the loader entry point.
import { DataError } from '../errors.ts';
import type { Params, SourceKind, SourceSpec } from '../specs.ts';
import { withDefaults } from '../../schema.ts';
import { csv } from './csv-file.ts';
import { fashionMnist } from './fashion-mnist.ts';
import { gaussian } from './gaussian.ts';
import { idx } from './idx-files.ts';
import type { LoadedSource } from './loaded.ts';
import { mnist } from './mnist.ts';
import type { SourceDef } from './source.ts';

export type { LoadedSource } from './loaded.ts';
export type { SourceDef } from './source.ts';

export const SOURCES: Readonly<Record<SourceKind, SourceDef>> = {
  mnist,
  fashion_mnist: fashionMnist,
  gaussian,
  idx,
  csv,
};

export function sourceDef(kind: string): SourceDef {
  const def = (SOURCES as Record<string, SourceDef | undefined>)[kind];
  if (!def) throw new DataError(`unknown data source '${kind}' (known: ${Object.keys(SOURCES).join(', ')})`);
  return def;
}

/** A source spec's params with its definition's defaults and derived values (validated at check time). */
export function sourceParams(spec: SourceSpec): Params {
  return withDefaults(sourceDef(spec.kind), spec.params);
}

/** Loads a source's train and test parts; the same spec and seed always give identical arrays. */
export async function loadSource(spec: SourceSpec, seed: number): Promise<LoadedSource> {
  return sourceDef(spec.kind).load(sourceParams(spec), seed);
}
