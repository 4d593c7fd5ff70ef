// Cutting a support split's parts at a value of ε from the examples' density ratios: what the split itself and
// its ε sweep share. Free of TF.js, so results assembly can read it.

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
