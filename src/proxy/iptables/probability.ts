// Go's `fmt.Sprintf("%0.10f", 1.0/n)`: the exact binary value of the double, rounded half-to-even.
// JavaScript's toFixed differs on exact ties (n = 2048 gives 0.0004882812 in Go, …813 in JS).

const SCALE = 10n ** 10n

/** Formats a finite non-negative double with ten decimals exactly as Go's `%0.10f` does. */
export function formatFixed10(x: number): string {
  if (!Number.isFinite(x) || x < 0) throw new RangeError(`formatFixed10: ${x} is not a finite non-negative number`)
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const raw = view.getBigUint64(0)
  const exp = Number((raw >> 52n) & 0x7ffn)
  const frac = raw & ((1n << 52n) - 1n)
  // x = mant × 2^e exactly.
  const mant = exp === 0 ? frac : frac | (1n << 52n)
  const e = exp === 0 ? -1074 : exp - 1075
  let q: bigint
  if (e >= 0) {
    q = (mant * SCALE) << BigInt(e)
  } else {
    const num = mant * SCALE
    const den = 1n << BigInt(-e)
    q = num / den
    const twice = (num % den) * 2n
    if (twice > den || (twice === den && q % 2n === 1n)) q += 1n
  }
  const digits = q.toString().padStart(11, '0')
  return `${digits.slice(0, -10)}.${digits.slice(-10)}`
}

const cache: string[] = []

/** The `--probability` argument for the i-th of n cascade rules: `%0.10f` of 1/n (memoised). */
// upstream: pkg/proxy/iptables/proxier.go (computeProbability / probability)
export function probability(n: number): string {
  let s = cache[n]
  if (s === undefined) {
    s = formatFixed10(1.0 / n)
    if (n < 100_000) cache[n] = s
  }
  return s
}
