import type { AlgorithmInfo, PickContext } from './balancer.js'
import { BaseBalancer } from './base-balancer.js'
import { buildRing, ringLookup, type HashRing } from './hash-ring.js'
import { hashString, keyOf } from './hash.js'
import { num } from './params.js'

/**
 * Envoy's ring hash keyed by the request's hash key (header, cookie, path) or else its client IP,
 * round-robin without either. Unlike Envoy, which sizes the ring from `minimum_ring_size` and so
 * changes every endpoint's point count when the endpoint count changes (moving keys between
 * survivors), each endpoint gets a fixed `pointsPerWeight × weight` points: a removal moves only
 * the removed endpoint's keys.
 */
export class RingHashBalancer extends BaseBalancer {
  readonly algorithm = 'ring-hash'
  private ring: HashRing = { points: new Uint32Array(0), owners: new Int32Array(0) }
  private rr = 0

  constructor(private readonly pointsPerWeight: number) {
    super()
  }

  // upstream: envoy source/extensions/load_balancing_policies/ring_hash/ring_hash_lb.cc (chooseHost)
  pickIndex(ctx?: PickContext): number {
    const eps = this.endpoints.pickable
    if (eps.length === 0) return -1
    const key = keyOf(ctx)
    if (key === undefined || key === '') return eps[this.rr++ % eps.length]!
    return ringLookup(this.ring, hashString(key))
  }

  protected override rebuild(): void {
    this.ring = buildRing(this.endpoints, (w) => this.pointsPerWeight * w)
  }
}

/** Registry entry for ring-hash. */
export const ringHash: AlgorithmInfo = {
  name: 'ring-hash',
  aliases: ['ring_hash', 'ketama', 'consistent-hash'],
  summary: 'consistent ring on the hash key or client IP (Envoy ring_hash), points proportional to weight',
  hashed: true,
  params: [
    { name: 'pointsPerWeight', type: 'integer', min: 1, max: 100_000, default: 256, doc: 'ring points per unit of weight (more: evener, slower to rebuild)' },
  ],
  create: (p) => new RingHashBalancer(num(p, 'pointsPerWeight')),
}
