// Synthetic data for Theorem 4.1: inputs confined to a random rank-r subspace W of R^dim. Each class has a
// mean inside W (two classes: ±(separation/2)·u for a ground-truth direction u in W) and examples are the
// mean plus standard normal noise within W, so the Bayes boundary lies in W and nothing varies outside it.
import type { Dataset, Subspace } from '../dataset.ts';
import { DataError } from '../errors.ts';
import { randomOrthonormalRows } from '../linalg.ts';
import type { Params } from '../specs.ts';
import { deriveSeed, Random } from '../../random.ts';
import { count, num, required } from '../../schema.ts';
import type { LoadedSource } from './loaded.ts';
import { trainTest, validation, type SourceDef } from './source.ts';

/** Class means as coordinates in W: antipodal for two classes, orthonormal when rank allows, else random unit. */
function meanCoordinates(random: Random, classes: number, rank: number, separation: number): number[][] {
  const half = separation / 2;
  if (classes === 2) {
    const u = randomOrthonormalRows(random, 1, rank);
    return [u.map((value) => -half * value), u.map((value) => half * value)];
  }
  const directions = classes <= rank ? randomOrthonormalRows(random, classes, rank) : [];
  return Array.from({ length: classes }, (_, c) => {
    const direction =
      classes <= rank ? directions.slice(c * rank, (c + 1) * rank) : randomOrthonormalRows(random, 1, rank);
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

async function loadGaussian(params: Params, seed: number): Promise<LoadedSource> {
  const [dim, classes, rank, separation] = [params.dim, params.classes, params.rank, params.separation] as number[];
  if (rank > dim) throw new DataError(`gaussian: rank ${rank} exceeds dim ${dim}`);
  const { train: trainCount, test: testCount } = trainTest(params);

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

export const gaussian: SourceDef = {
  doc: 'synthetic Gaussian classes in a subspace of rank `rank`',
  attributes: {
    dim: required(count('input dimension')),
    classes: count('number of classes', 2, 2),
    train: count('training examples', 1000),
    test: count('test examples', 1000),
    val: validation,
    rank: count('dimension of the subspace the inputs span (default: dim)'),
    separation: num('distance between class means', { min: 0, exclusiveMin: true }, 2),
  },
  positional: [],
  derived: (params): Params => (params.rank === undefined ? { rank: params.dim! } : {}),
  shape: (params) => ({ kind: 'vector', dim: params.dim as number }),
  classes: (params) => params.classes as number,
  counts: trainTest,
  load: loadGaussian,
};
