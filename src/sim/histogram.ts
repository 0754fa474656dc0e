// Streaming percentiles in fixed memory: a log-linear histogram in the spirit of HdrHistogram. Each
// power-of-two range above `min` is split into SUB linear sub-buckets, so any recorded value is known
// to a relative error of 1/SUB whatever the run length; memory never grows with the sample count.

/** Linear sub-buckets per power of two: relative resolution 1/256 (about 0.4%). */
const SUB = 256
/** Powers of two covered above `min` (min · 2^60 is far beyond any simulated time). */
const OCTAVES = 60

// A double's high word (sign, exponent, top of the mantissa), read through a shared buffer.
const F64 = new Float64Array(1)
const U32 = new Uint32Array(F64.buffer)
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0

/** A fixed-size log-linear histogram of non-negative values with exact count, sum, min and max. */
export class LogHistogram {
  private readonly counts = new Float64Array(OCTAVES * SUB + 1)
  /** Number of recorded values. */
  count = 0
  /** Exact sum of the recorded values (for the mean). */
  sum = 0
  /** Smallest recorded value (Infinity when empty). */
  min = Infinity
  /** Largest recorded value (-Infinity when empty). */
  max = -Infinity

  /** @param floor values below this share bucket 0 (the resolution floor, in the values' unit). */
  constructor(private readonly floor = 1e-6) {}

  /** Records one value. */
  record(v: number): void {
    this.count++
    this.sum += v
    if (v < this.min) this.min = v
    if (v > this.max) this.max = v
    this.counts[this.bucketOf(v)]!++
  }

  /** Mean of the recorded values (NaN when empty). */
  mean(): number {
    return this.count === 0 ? Number.NaN : this.sum / this.count
  }

  /** The q-quantile (0 ≤ q ≤ 1) to within the bucket resolution, clamped to [min, max]; NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN
    if (q <= 0) return this.min
    if (q >= 1) return this.max
    // The smallest value v with at least ceil(q·count) values ≤ v (the nearest-rank definition).
    const rank = Math.max(1, Math.ceil(q * this.count))
    let seen = 0
    const counts = this.counts
    for (let i = 0; i < counts.length; i++) {
      seen += counts[i]!
      if (seen >= rank) return Math.min(this.max, Math.max(this.min, this.lowerBound(i)))
    }
    return this.max
  }

  /** Points (value, fraction ≤ value) of the empirical CDF at the given quantiles, for charts. */
  cdf(quantiles: readonly number[]): { value: number; fraction: number }[] {
    return quantiles.map((q) => ({ value: this.quantile(q), fraction: q }))
  }

  private bucketOf(v: number): number {
    if (!(v >= this.floor)) return 0
    // r ≥ 1: its binary exponent is the octave and the top 8 bits of its mantissa the sub-bucket,
    // read straight from the IEEE 754 bits (exact, and far cheaper than log2 and pow).
    F64[0] = v / this.floor
    const hi = U32[HI]!
    const e = (hi >>> 20) - 1023
    if (e >= OCTAVES) return this.counts.length - 1
    return 1 + e * SUB + ((hi >>> 12) & (SUB - 1))
  }

  /** The smallest value that falls in bucket i: within 1/SUB below any value in it, and exact on bucket edges. */
  private lowerBound(i: number): number {
    if (i === 0) return 0
    const e = Math.floor((i - 1) / SUB)
    const sub = (i - 1) % SUB
    return this.floor * 2 ** e * (1 + sub / SUB)
  }
}
