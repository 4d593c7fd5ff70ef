// Limited-memory BFGS for smooth convex problems in a few thousand parameters (a DFR head, a linear
// probe). Plain Float64 arithmetic, no randomness: the same problem gives the same minimiser bit for bit.

/** Returns the objective at `theta` and writes its gradient into `gradient`. */
export type Objective = (theta: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  /** Stop when max |gradient| ≤ this (default 1e-8). */
  tolerance?: number;
  /** Give up after this many iterations (default 2000). */
  maxIterations?: number;
  /** Correction pairs kept (default 10). */
  memory?: number;
}

export interface LbfgsResult {
  theta: Float64Array;
  value: number;
  /** max |gradient| at `theta`. */
  gradientNorm: number;
  iterations: number;
  converged: boolean;
}

const dot = (a: Float64Array, b: Float64Array) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
};
const maxAbs = (a: Float64Array) => a.reduce((max, v) => Math.max(max, Math.abs(v)), 0);

/** Minimises `objective` from `start` (not modified). */
export function minimiseLbfgs(objective: Objective, start: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const tolerance = options.tolerance ?? 1e-8;
  const maxIterations = options.maxIterations ?? 2000;
  const memory = options.memory ?? 10;
  const n = start.length;
  let theta = Float64Array.from(start);
  let gradient = new Float64Array(n);
  let value = objective(theta, gradient);
  const history: { s: Float64Array; y: Float64Array; rho: number }[] = [];
  const direction = new Float64Array(n);
  const alpha = new Float64Array(memory);
  let iterations = 0;
  while (maxAbs(gradient) > tolerance && iterations < maxIterations) {
    iterations++;
    // Two-loop recursion: direction = −H·gradient.
    direction.set(gradient);
    for (let k = history.length - 1; k >= 0; k--) {
      const { s, y, rho } = history[k];
      alpha[k] = rho * dot(s, direction);
      for (let i = 0; i < n; i++) direction[i] -= alpha[k] * y[i];
    }
    const last = history.at(-1);
    const gamma = last
      ? dot(last.s, last.y) / dot(last.y, last.y)
      : 1 / Math.max(1, Math.sqrt(dot(gradient, gradient)));
    for (let i = 0; i < n; i++) direction[i] *= gamma;
    for (let k = 0; k < history.length; k++) {
      const { s, y, rho } = history[k];
      const beta = rho * dot(y, direction);
      for (let i = 0; i < n; i++) direction[i] += s[i] * (alpha[k] - beta);
    }
    for (let i = 0; i < n; i++) direction[i] = -direction[i];
    let slope = dot(gradient, direction);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      history.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -gradient[i] / Math.max(1, Math.sqrt(dot(gradient, gradient)));
      slope = dot(gradient, direction);
    }
    // Backtracking line search with the Armijo condition.
    let step = 1;
    const next = new Float64Array(n);
    const nextGradient = new Float64Array(n);
    let nextValue = Infinity;
    for (let tries = 0; tries < 60; tries++) {
      for (let i = 0; i < n; i++) next[i] = theta[i] + step * direction[i];
      nextValue = objective(next, nextGradient);
      if (nextValue <= value + 1e-4 * step * slope) break;
      // Near the optimum value differences drown in rounding; the gradient still says whether the step
      // went downhill without overshooting (the curvature condition).
      const flat = Math.abs(nextValue - value) <= 1e-12 * Math.max(1, Math.abs(value));
      if (flat && Math.abs(dot(nextGradient, direction)) <= 0.9 * Math.abs(slope)) break;
      step *= 0.5;
    }
    if (!(nextValue <= value + 1e-12 * Math.max(1, Math.abs(value)))) break; // no progress possible at this precision
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = next[i] - theta[i];
      y[i] = nextGradient[i] - gradient[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      history.push({ s, y, rho: 1 / sy });
      if (history.length > memory) history.shift();
    }
    theta = next;
    gradient = nextGradient;
    value = nextValue;
  }
  const gradientNorm = maxAbs(gradient);
  return { theta, value, gradientNorm, iterations, converged: gradientNorm <= tolerance };
}
