// The source registry: one loader per `data` kind.
import type { SourceKind, SourceSpec } from '../specs.ts';
import { DataError } from '../errors.ts';
import type { Params } from '../specs.ts';
import { loadCsvFile } from './csv-file.ts';
import { loadFashionMnist } from './fashion-mnist.ts';
import { loadGaussian } from './gaussian.ts';
import { loadIdxFiles } from './idx-files.ts';
import type { LoadedSource } from './loaded.ts';
import { loadMnist } from './mnist.ts';

export type { LoadedSource } from './loaded.ts';

const LOADERS: Record<SourceKind, (params: Params, seed: number) => Promise<LoadedSource>> = {
  mnist: loadMnist,
  fashion_mnist: loadFashionMnist,
  gaussian: loadGaussian,
  idx: loadIdxFiles,
  csv: loadCsvFile,
};

/** Loads a source's train and test parts; the same spec and seed always give identical arrays. */
export async function loadSource(spec: SourceSpec, seed: number): Promise<LoadedSource> {
  const loader = LOADERS[spec.kind];
  if (!loader) throw new DataError(`unknown data source '${spec.kind}' (known: ${Object.keys(LOADERS).join(', ')})`);
  return loader(spec.params, seed);
}
