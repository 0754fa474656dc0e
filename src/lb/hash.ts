// String hashing for the consistent-hash algorithms: allocation-free, deterministic across processes
// (so every proxy maps a client the same way), with independent seeds for Maglev's offset and skip.

/**
 * A 32-bit hash of `s[0..end)`: FNV-1a over UTF-16 code units, seeded, then the murmur3 finaliser
 * so that near-identical inputs (addresses differing in one digit) spread over the whole range.
 */
export function hashString(s: string, seed = 0, end = s.length): number {
  let h = (0x811c9dc5 ^ seed) >>> 0
  for (let i = 0; i < end; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return fmix32(h)
}

/** murmur3's 32-bit finaliser: full avalanche of a 32-bit value. */
export function fmix32(x: number): number {
  let h = x >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** The key a hashing algorithm balances on: the explicit hash key, else the client IP. */
export function keyOf(ctx: { clientIP?: string; hashKey?: string } | undefined): string | undefined {
  return ctx?.hashKey ?? ctx?.clientIP
}
