// The logistic regression behind DFR against scikit-learn's own fits (reference/make_logistic_reference.py):
// same objective (½‖W‖² + C·Σ sᵢ·loss), same binary/multinomial parametrisation, solved to convergence.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Dataset } from '../../runtime/data/dataset.ts';
import { fitDfrHead } from '../../runtime/interventions/dfr.ts';
import { fitLogistic } from '../../runtime/interventions/logistic.ts';

interface LogisticCase {
  name: string;
  C: number;
  dim: number;
  classes: number;
  x: number[];
  y: number[];
  weights: number[];
  coef: number[][];
  intercept: number[];
  probabilities: number[];
}
interface DfrCase extends Omit<LogisticCase, 'weights' | 'coef' | 'intercept'> {
  attribute: number[];
}
const reference = JSON.parse(readFileSync(new URL('reference/logistic-reference.json', import.meta.url), 'utf8')) as {
  logistic: LogisticCase[];
  dfr: DfrCase[];
};

function softmaxRows(
  x: ArrayLike<number>,
  dim: number,
  classes: number,
  kernel: Float32Array,
  bias: Float32Array,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length / dim; i++) {
    const logits = Array.from({ length: classes }, (_, c) => {
      let z = bias[c];
      for (let d = 0; d < dim; d++) z += x[i * dim + d] * kernel[d * classes + c];
      return z;
    });
    const top = Math.max(...logits);
    const total = logits.reduce((sum, z) => sum + Math.exp(z - top), 0);
    out.push(...logits.map((z) => Math.exp(z - top) / total));
  }
  return out;
}

const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((max, v, i) => Math.max(max, Math.abs(v - b[i])), 0);

for (const c of reference.logistic) {
  test(`logistic regression matches scikit-learn: ${c.name}`, () => {
    const fit = fitLogistic(
      { x: c.x, dim: c.dim, labels: Int32Array.from(c.y), classes: c.classes, weights: c.weights },
      { C: c.C },
    );
    assert.ok(fit.converged, 'the solver converged');
    // sklearn's coefficients: one row w for two classes (our columns are ∓w/2), one row per class otherwise.
    const coefficients =
      c.classes === 2
        ? Array.from({ length: c.dim }, (_, d) => fit.kernel[d * 2 + 1] - fit.kernel[d * 2])
        : Array.from({ length: c.dim * c.classes }, (_, k) => fit.kernel[k]);
    const expected =
      c.classes === 2
        ? c.coef[0]
        : Array.from({ length: c.dim * c.classes }, (_, k) => c.coef[k % c.classes][Math.floor(k / c.classes)]);
    const scale = Math.max(1, ...expected.map(Math.abs));
    assert.ok(
      maxDifference(coefficients, expected) < 1e-5 * scale,
      `coefficients differ by ${maxDifference(coefficients, expected)}`,
    );
    const probabilities = softmaxRows(c.x, c.dim, c.classes, fit.kernel, fit.bias);
    assert.ok(
      maxDifference(probabilities, c.probabilities) < 1e-6,
      `probabilities differ by ${maxDifference(probabilities, c.probabilities)}`,
    );
  });
}

for (const c of reference.dfr) {
  test(`the DFR head matches scikit-learn's StandardScaler + balanced LogisticRegression: ${c.name}`, () => {
    const size = c.y.length;
    const data: Dataset = {
      shape: [c.dim],
      classes: c.classes,
      size,
      x: Float32Array.from(c.x),
      y: Int32Array.from(c.y),
      attributes: { place: Int32Array.from(c.attribute) },
    };
    const head = fitDfrHead(Float32Array.from(c.x), c.dim, data, c.C, {
      balancedBy: ['label', 'place'],
      subsets: 0,
      seed: 0,
    });
    assert.ok(head.converged);
    const probabilities = softmaxRows(c.x, c.dim, c.classes, head.kernel, head.bias);
    // Features pass through float32 once, so agreement is to float32 precision.
    assert.ok(
      maxDifference(probabilities, c.probabilities) < 2e-5,
      `probabilities differ by ${maxDifference(probabilities, c.probabilities)}`,
    );
  });
}

test('the solver refuses a non-positive C', () => {
  assert.throws(
    () => fitLogistic({ x: [0, 1], dim: 1, labels: Int32Array.from([0, 1]), classes: 2, weights: [1, 1] }, { C: 0 }),
    /C must be > 0/,
  );
});

test.run();
