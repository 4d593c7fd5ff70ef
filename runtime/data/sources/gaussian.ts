// Synthetic data for Theorem 4.1: inputs confined to a random rank-r subspace W of R^dim. Each class has a
// mean inside W (two classes: ±(separation/2)·u for a ground-truth direction u in W) and examples are the
// mean plus standard normal noise within W, so the Bayes boundary lies in W and nothing varies outside it.
import type { Dataset, Subspace } from '../dataset.ts';
import { DataError } from '../errors.ts';
import { randomOrthonormalRows } from '../linalg.ts';
import { numberParam } from '../params.ts';
import type { Params } from '../specs.ts';
import { deriveSeed, Random } from '../../random.ts';
import type { LoadedSource } from './loaded.ts';

/** Class means as coordinates in W: antipodal for two classes, orthonormal when rank allows, else random unit. */
function meanCoordinates(random: Random, classes: number, rank: number, separation: number): number[][] {
  const half = separation / 2;
  if (classes === 2) {
    const u = randomOrthonormalRows(random, 1, rank);
    return [u.map((value) => -half * value), u.map((value) => half * value)];
  }
  const directions = classes <= rank ? randomOrthonormalRows(random, classes, rank) : [];
  return Array.from({ length: classes }, (_, c) => {
    const direction = classes <= rank ? directions.slice(c * rank, (c + 1) * rank) : randomOrthonormalRows(random, 1, rank);
    return direction.map((value) => half * value);
  });
}

function sample(count: number, subspace: Subspace, centres: number[][], dim: number, random: Random): Dataset {
  const rank = subspace.basis.length / dim;
  const classes = centres.length;
  const x = new Float32Array(count * dim);
  const y = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const label = random.int(classes);
    y[n] = label;
    for (let r = 0; r < rank; r++) {
      const coordinate = centres[label][r] + random.normal();
      for (let i = 0; i < dim; i++) x[n * dim + i] += coordinate * subspace.basis[r * dim + i];
    }
  }
  return { shape: [dim], classes, size: count, x, y, attributes: {}, subspace };
}

export async function loadGaussian(params: Params, seed: number): Promise<LoadedSource> {
  const dim = numberParam(params, 'gaussian', 'dim', undefined, { min: 1, integer: true });
  const classes = numberParam(params, 'gaussian', 'classes', 2, { min: 2, integer: true });
  const rank = numberParam(params, 'gaussian', 'rank', dim, { min: 1, integer: true });
  if (rank > dim) throw new DataError(`gaussian: rank ${rank} exceeds dim ${dim}`);
  const trainCount = numberParam(params, 'gaussian', 'train', 1000, { min: 1, integer: true });
  const testCount = numberParam(params, 'gaussian', 'test', 1000, { min: 1, integer: true });
  const separation = numberParam(params, 'gaussian', 'separation', 2, { min: 0 });

  const geometry = new Random(deriveSeed(seed, 'gaussian', 'geometry'));
  // W's basis and the directions outside it come from one orthonormal set, so they are orthogonal.
  const outsideCount = Math.min(rank, dim - rank);
  const rows = randomOrthonormalRows(geometry, rank + outsideCount, dim);
  const basis = rows.slice(0, rank * dim);
  const centres = meanCoordinates(geometry, classes, rank, separation);
  const means = centres.flatMap((centre) =>
    Array.from({ length: dim }, (_, i) => centre.reduce((sum, value, r) => sum + value * basis[r * dim + i], 0)),
  );
  const subspace: Subspace = { basis, outside: rows.slice(rank * dim), means };
  return {
    train: sample(trainCount, subspace, centres, dim, new Random(deriveSeed(seed, 'gaussian', 'train'))),
    test: sample(testCount, subspace, centres, dim, new Random(deriveSeed(seed, 'gaussian', 'test'))),
  };
}
