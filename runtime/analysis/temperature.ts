// Temperature scaling: one scalar T, chosen to minimise the mean logistic loss of sigmoid(z/T).
// The loss is convex in β = 1/T, so its derivative is monotone and bisection finds the minimum reliably.

function lossSlope(beta: number, logits: ArrayLike<number>, positive: readonly boolean[]): number {
  // d/dβ of mean softplus(−s·β·z) with s = ±1 is mean(−s·z·sigmoid(−s·β·z)).
  let slope = 0;
  for (let i = 0; i < logits.length; i++) {
    const signed = positive[i] ? logits[i] : -logits[i];
    slope -= signed / (1 + Math.exp(beta * signed));
  }
  return slope / logits.length;
}

const MAX_BETA = 1e6;

/**
 * Returns T > 0. Perfectly separated scores want T → 0; T is then capped at 1/1e6. Scores that carry no
 * signal (the loss is smallest at β = 0) give T = Infinity: every example then gets the prior ratio.
 */
export function fitTemperature(logits: ArrayLike<number>, positive: readonly boolean[]): number {
  if (lossSlope(0, logits, positive) >= 0) return Infinity;
  let low = 0;
  let high = 1;
  while (lossSlope(high, logits, positive) < 0 && high < MAX_BETA) high *= 2;
  if (high >= MAX_BETA) return 1 / MAX_BETA;
  for (let iteration = 0; iteration < 100; iteration++) {
    const mid = (low + high) / 2;
    if (lossSlope(mid, logits, positive) < 0) low = mid;
    else high = mid;
  }
  return 2 / (low + high);
}
