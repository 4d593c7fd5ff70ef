// Cutting a support split's parts at a value of ε from the examples' density ratios: what the split itself and
// its ε sweep share, and the paper's grid of ε. Free of TF.js, so results assembly and the checker can read it.

/** The ε grid the paper's code sweeps (`EPSILONS` in its ImageNet support-splitting experiments). */
export const PAPER_EPSILONS: readonly number[] = [1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 0.1, 0.2, 0.5];

/** The parts a value of ε gives: out-of-support when r ≥ 1/ε. */
export function partsAt(
  logDensityRatio: Float64Array,
  threshold: number,
): { inSupport: Int32Array; outOfSupport: Int32Array } {
  const cut = -Math.log(threshold);
  const inSupport: number[] = [];
  const outOfSupport: number[] = [];
  logDensityRatio.forEach((logRatio, i) => (logRatio >= cut ? outOfSupport : inSupport).push(i));
  return { inSupport: Int32Array.from(inSupport), outOfSupport: Int32Array.from(outOfSupport) };
}
