import type { Rng } from '../base/rng.js'

/**
 * Draws a pickable index with probability proportional to weight: O(1) when weights are equal,
 * else a binary search over cumulative weights (O(log n)). Allocation happens only in reset().
 */
export class WeightedSampler {
  private cumulative = new Float64Array(0)
  private n = 0
  private uniform = true

  /** Rebuilds for a new pickable list: `pickable` holds positions into `weight`. */
  reset(pickable: ArrayLike<number>, weight: ArrayLike<number>, uniform: boolean): void {
    this.n = pickable.length
    this.uniform = uniform
    // Equal weights never read the cumulative table, so a million uniform endpoints build nothing.
    this.cumulative = new Float64Array(uniform ? 0 : this.n)
    if (uniform) return
    let sum = 0
    for (let i = 0; i < this.n; i++) {
      sum += weight[pickable[i]!]!
      this.cumulative[i] = sum
    }
  }

  /** A random index in [0, n); undefined behaviour when n is 0 (callers check). */
  draw(rng: Rng): number {
    if (this.uniform) return Math.floor(rng() * this.n)
    const c = this.cumulative
    const x = rng() * c[this.n - 1]!
    let lo = 0
    let hi = this.n - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (c[mid]! <= x) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
