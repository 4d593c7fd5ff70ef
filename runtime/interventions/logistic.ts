// L2-regularised logistic regression with sample weights, in scikit-learn's parametrisation so the paper's
// C carries over: minimise ½‖W‖² + C·Σᵢ sᵢ·loss(xᵢW + b, yᵢ), the bias unpenalised. Two classes use one
// weight vector (sklearn's binary model), more use a softmax over all classes (sklearn's multinomial).
// Convex, solved by L-BFGS to a gradient tolerance: the result depends on the data only, not on a seed.
import { minimiseLbfgs } from './lbfgs.ts';

export interface LogisticFit {
  /** features × classes, row-major. For two classes the columns are −w/2 and +w/2 (same predictions). */
  kernel: Float32Array;
  bias: Float32Array;
  iterations: number;
  converged: boolean;
}

export interface LogisticOptions {
  /** Inverse regularisation strength (sklearn's C): smaller is a stronger penalty. */
  C: number;
  /** Stop when max |∂f/∂θ| ≤ tolerance·Σsᵢ with f the objective divided by C (default 1e-12). */
  tolerance?: number;
  maxIterations?: number;
}

export interface LogisticProblem {
  /** size × dim, row-major. */
  x: ArrayLike<number>;
  dim: number;
  labels: Int32Array;
  classes: number;
  /** One weight per example (sklearn's sample_weight). */
  weights: ArrayLike<number>;
}

/** The weight vector and bias of the binary model: P(y = 1 | x) = σ(x·w + b). */
function binaryObjective({ x, dim, labels, weights }: LogisticProblem, C: number) {
  const size = labels.length;
  return (theta: Float64Array, gradient: Float64Array): number => {
    // f/C = Σ sᵢ·log(1 + exp(−tᵢ zᵢ)) + ‖w‖²/(2C), tᵢ = ±1.
    gradient.fill(0);
    let value = 0;
    for (let i = 0; i < size; i++) {
      let z = theta[dim];
      for (let d = 0; d < dim; d++) z += x[i * dim + d] * theta[d];
      const t = labels[i] === 1 ? 1 : -1;
      const margin = t * z;
      value += weights[i] * (margin > 0 ? Math.log1p(Math.exp(-margin)) : -margin + Math.log1p(Math.exp(margin)));
      const sigmoid = margin > 0 ? Math.exp(-margin) / (1 + Math.exp(-margin)) : 1 / (1 + Math.exp(margin));
      const g = -weights[i] * t * sigmoid;
      for (let d = 0; d < dim; d++) gradient[d] += g * x[i * dim + d];
      gradient[dim] += g;
    }
    for (let d = 0; d < dim; d++) {
      value += (theta[d] * theta[d]) / (2 * C);
      gradient[d] += theta[d] / C;
    }
    return value;
  };
}

/** W (dim × classes) then b (classes): softmax cross-entropy. */
function multinomialObjective({ x, dim, labels, classes, weights }: LogisticProblem, C: number) {
  const size = labels.length;
  const logits = new Float64Array(classes);
  const biasAt = dim * classes;
  return (theta: Float64Array, gradient: Float64Array): number => {
    gradient.fill(0);
    let value = 0;
    for (let i = 0; i < size; i++) {
      for (let c = 0; c < classes; c++) logits[c] = theta[biasAt + c];
      for (let d = 0; d < dim; d++) {
        const feature = x[i * dim + d];
        if (feature === 0) continue;
        for (let c = 0; c < classes; c++) logits[c] += feature * theta[d * classes + c];
      }
      let top = -Infinity;
      for (let c = 0; c < classes; c++) top = Math.max(top, logits[c]);
      let total = 0;
      for (let c = 0; c < classes; c++) total += Math.exp(logits[c] - top);
      const logTotal = top + Math.log(total);
      value += weights[i] * (logTotal - logits[labels[i]]);
      for (let c = 0; c < classes; c++) {
        const g = weights[i] * (Math.exp(logits[c] - logTotal) - (c === labels[i] ? 1 : 0));
        gradient[biasAt + c] += g;
        for (let d = 0; d < dim; d++) gradient[d * classes + c] += g * x[i * dim + d];
      }
    }
    for (let k = 0; k < biasAt; k++) {
      value += (theta[k] * theta[k]) / (2 * C);
      gradient[k] += theta[k] / C;
    }
    return value;
  };
}

/** Fits the model from zero; `converged` says whether the solver reached its tolerance. */
export function fitLogistic(problem: LogisticProblem, options: LogisticOptions): LogisticFit {
  const { dim, classes, labels, weights } = problem;
  if (!(options.C > 0)) throw new RangeError(`C must be > 0 (got ${options.C})`);
  if (labels.length === 0) throw new RangeError('logistic regression on no examples');
  let weightSum = 0;
  for (let i = 0; i < labels.length; i++) weightSum += weights[i];
  const tolerance = (options.tolerance ?? 1e-12) * Math.max(1, weightSum);
  const binary = classes === 2;
  const parameters = binary ? dim + 1 : (dim + 1) * classes;
  const objective = binary ? binaryObjective(problem, options.C) : multinomialObjective(problem, options.C);
  const result = minimiseLbfgs(objective, new Float64Array(parameters), {
    tolerance,
    maxIterations: options.maxIterations ?? 5000,
  });
  const kernel = new Float32Array(dim * classes);
  const bias = new Float32Array(classes);
  if (binary) {
    for (let d = 0; d < dim; d++) {
      kernel[d * 2] = -result.theta[d] / 2;
      kernel[d * 2 + 1] = result.theta[d] / 2;
    }
    bias[0] = -result.theta[dim] / 2;
    bias[1] = result.theta[dim] / 2;
  } else {
    kernel.set(result.theta.subarray(0, dim * classes));
    bias.set(result.theta.subarray(dim * classes));
  }
  return { kernel, bias, iterations: result.iterations, converged: result.converged };
}
