import type { AlgorithmInfo, PickContext } from './balancer.js'
import { BaseBalancer } from './base-balancer.js'
import { hashString, keyOf } from './hash.js'
import { BalancerConfigError } from './errors.js'
import { num } from './params.js'

/** One backend's place in the table build: its preference permutation and weight. */
export interface MaglevEntry {
  offset: number
  skip: number
  weight: number
}

/**
 * Fills a Maglev lookup table of prime size `size` (Eisenbud et al., NSDI 2016, §3.4): backends take
 * turns claiming the next empty slot of their permutation `(offset + j·skip) mod size`. Weights give
 * turns in proportion, as Envoy: a backend of weight w takes a turn in iteration i when
 * i·w ≥ its next target, the target growing by the largest weight each turn. Returns the entry
 * index of each slot.
 */
// upstream: envoy source/extensions/load_balancing_policies/maglev/maglev_lb.cc (MaglevTable::constructMaglevTableInternal)
export function buildMaglevTable(entries: readonly MaglevEntry[], size: number): Int32Array {
  const table = new Int32Array(size).fill(-1)
  const n = entries.length
  if (n === 0) return table
  // Typed arrays and an incremental slot ((slot + skip) mod size, no multiplication) keep the
  // coupon-collector tail of the build, where most slots are taken, cheap.
  const slot = new Int32Array(n)
  const skip = new Int32Array(n)
  const weight = new Float64Array(n)
  const target = new Float64Array(n)
  let maxWeight = 0
  entries.forEach((e, i) => {
    slot[i] = e.offset % size
    skip[i] = e.skip % size
    weight[i] = e.weight
    maxWeight = Math.max(maxWeight, e.weight)
  })
  target.fill(maxWeight)
  let filled = 0
  for (let iteration = 1; filled < size; iteration++) {
    for (let i = 0; i < n && filled < size; i++) {
      if (iteration * weight[i]! < target[i]!) continue
      target[i]! += maxWeight
      let c = slot[i]!
      const k = skip[i]!
      while (table[c] !== -1) {
        c += k
        if (c >= size) c -= size
      }
      table[c] = i
      c += k
      slot[i] = c >= size ? c - size : c
      filled++
    }
  }
  return table
}

/** The table sizes Maglev moves between (IPVS `mh` and Cilium's primes, then Google's 65537 upward). */
export const MAGLEV_SIZES: readonly number[] = [251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65537, 131071, 262139, 524287, 1048573, 2097143, 4194301]

/** Whether n is prime (trial division; sizes are small). */
export function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false
  if (n % 2 === 0) return n === 2
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false
  return true
}

/**
 * The table size for `n` backends: `requested`, unless that is not more than 100 × n (the paper's
 * bound for at most 1% imbalance), in which case the smallest listed size above 100 × n. Sizes only
 * step at those boundaries, so a small change of n keeps the table size and its consistency.
 */
export function maglevTableSize(requested: number, n: number): number {
  if (requested > 100 * n) return requested
  for (const m of MAGLEV_SIZES) if (m > 100 * n) return m
  throw new RangeError(`maglev: ${n} endpoints need a table larger than ${MAGLEV_SIZES.at(-1)}`)
}

/**
 * Maglev hashing: O(1) lookups in a table where every backend holds ⌊M/N⌋ or ⌈M/N⌉ slots (for equal
 * weights) and a removal moves little more than the removed backend's slots. Keyed by the hash key,
 * else the client IP; round-robin when there is neither.
 */
export class MaglevBalancer extends BaseBalancer {
  readonly algorithm = 'maglev'
  private table: Int32Array = new Int32Array(0)
  private rr = 0

  constructor(private readonly tableSize: number) {
    super()
  }

  pickIndex(ctx?: PickContext): number {
    const eps = this.endpoints.pickable
    if (eps.length === 0) return -1
    const key = keyOf(ctx)
    if (key === undefined || key === '') return eps[this.rr++ % eps.length]!
    return eps[this.table[hashString(key) % this.table.length]!]!
  }

  /** The current lookup table as pickable indices (for tests and the simulator). */
  lookupTable(): Int32Array {
    return this.table
  }

  protected override rebuild(): void {
    const e = this.endpoints
    const eps = e.pickable
    if (eps.length === 0) {
      this.table = new Int32Array(0)
      return
    }
    const size = maglevTableSize(this.tableSize, eps.length)
    // Offsets and skips come from the id, so every proxy builds the same table for the same set.
    const entries = Array.from(eps, (p) => ({
      offset: hashString(e.ids.list[p]!, 0x9e3779b9) % size,
      skip: (hashString(e.ids.list[p]!, 0x85ebca6b) % (size - 1)) + 1,
      weight: e.weight[p]!,
    }))
    this.table = buildMaglevTable(entries, size)
  }
}

/** Registry entry for maglev. */
export const maglev: AlgorithmInfo = {
  name: 'maglev',
  aliases: ['mh'],
  summary: 'Maglev table (prime size > 100 × endpoints): O(1), even, minimal disruption',
  hashed: true,
  params: [
    {
      name: 'tableSize',
      type: 'integer',
      min: 7,
      max: 5_000_011,
      default: 65537,
      doc: 'a prime; grown to a listed prime above 100 × endpoints when too small (Envoy and Google use 65537)',
    },
  ],
  create: (p) => {
    const size = num(p, 'tableSize')
    if (!isPrime(size)) throw new BalancerConfigError('params.tableSize', `must be a prime (got ${size}); e.g. 65537, 16381 or 131071`)
    return new MaglevBalancer(size)
  },
}
