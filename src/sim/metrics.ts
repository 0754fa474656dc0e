// Summary statistics computed once at the end of a run (never in the hot loop).

/**
 * Jain's fairness index (Σx)² / (n·Σx²) of the values: 1 when all are equal, 1/n when one takes
 * everything; 1 for an empty or all-zero list (nothing was unfair).
 */
// upstream: R. Jain, D. Chiu, W. Hawe, "A Quantitative Measure of Fairness and Discrimination", DEC-TR-301 (1984)
export function jainIndex(xs: ArrayLike<number>): number {
  let s = 0
  let s2 = 0
  for (let i = 0; i < xs.length; i++) {
    s += xs[i]!
    s2 += xs[i]! * xs[i]!
  }
  if (s2 === 0) return 1
  return (s * s) / (xs.length * s2)
}

/** Pearson's χ² statistic of observed counts against expected probabilities (which sum to 1). */
export function chiSquare(observed: ArrayLike<number>, expected: ArrayLike<number>): number {
  let total = 0
  for (let i = 0; i < observed.length; i++) total += observed[i]!
  let chi = 0
  for (let i = 0; i < observed.length; i++) {
    const e = expected[i]! * total
    if (e > 0) chi += ((observed[i]! - e) * (observed[i]! - e)) / e
  }
  return chi
}

/** The supermarket model's limit of the mean time in system as n → ∞: Σ_{i≥1} λ^((dⁱ − d)/(d − 1)), or 1/(1 − λ) for d = 1. */
// upstream: M. Mitzenmacher, "The Power of Two Choices in Randomized Load Balancing", IEEE TPDS 12(10), 2001 (Theorem 3.6)
export function supermarketMeanTime(lambda: number, d: number): number {
  if (!(lambda > 0 && lambda < 1)) throw new RangeError(`supermarketMeanTime: λ must be in (0, 1), got ${lambda}`)
  if (d === 1) return 1 / (1 - lambda)
  let sum = 0
  for (let i = 1; i < 64; i++) {
    const term = Math.pow(lambda, (Math.pow(d, i) - d) / (d - 1))
    sum += term
    if (term < 1e-15) break
  }
  return sum
}
