// Small whole-dataset operations shared by splits, sources and transforms. None mutates its input.
import type { Dataset } from './dataset.ts';
import { DataError } from './errors.ts';

/** Values per example: the product of the example shape. */
export function exampleLength(shape: number[]): number {
  return shape.reduce((product, side) => product * side, 1);
}

/** Height, width and channels of an image-shaped dataset; a clear error for vector data (e.g. gaussian). */
export function imageDims(ds: Dataset, transform: string): { height: number; width: number; channels: number } {
  if (ds.shape.length !== 3) {
    throw new DataError(
      `${transform} needs images of shape [height, width, channels], got shape [${ds.shape.join(', ')}]`,
    );
  }
  const [height, width, channels] = ds.shape;
  return { height, width, channels };
}

/** The examples at `indices` (in that order, repeats allowed), with their attributes; metadata is shared. */
export function subset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const length = exampleLength(ds.shape);
  const x = new Float32Array(indices.length * length);
  const y = new Int32Array(indices.length);
  const attributes: Record<string, Int32Array> = {};
  for (const name of Object.keys(ds.attributes)) attributes[name] = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i];
    x.set(ds.x.subarray(from * length, (from + 1) * length), i * length);
    y[i] = ds.y[from];
    for (const name of Object.keys(ds.attributes)) attributes[name][i] = ds.attributes[name][from];
  }
  return { ...ds, size: indices.length, x, y, attributes };
}

/** Indices of each class's examples, in dataset order. */
export function indicesByClass(ds: Dataset): number[][] {
  const byClass: number[][] = Array.from({ length: ds.classes }, () => []);
  for (let i = 0; i < ds.size; i++) byClass[ds.y[i]].push(i);
  return byClass;
}
