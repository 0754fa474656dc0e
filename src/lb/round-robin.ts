import type { AlgorithmInfo, PickContext } from './balancer.js'
import { BaseBalancer } from './base-balancer.js'

/**
 * Smooth weighted round-robin, as nginx: every pick adds each weight to its endpoint's current
 * weight, takes the largest and subtracts the total from it. Weights 5,1,1 give `a a b a c a a`
 * (interleaved, unlike IPVS `wrr`'s `a a a a a b c`). Current weights stay with endpoints across
 * updates, so an update continues the rotation instead of restarting it (upstream's userspace
 * proxy reset its index on every change); a new endpoint starts at 0, as a fresh nginx peer. Left
 * uncentred on purpose: shifting every current weight by the same amount changes no choice, and
 * fractional shifts would let rounding break ties. O(n) per pick, as in nginx.
 */
export class RoundRobinBalancer extends BaseBalancer {
  readonly algorithm = 'round-robin'

  constructor() {
    super(['current'])
  }

  // upstream: nginx src/http/ngx_http_upstream_round_robin.c (ngx_http_upstream_get_peer)
  pickIndex(_ctx?: PickContext): number {
    const e = this.endpoints
    const eps = e.pickable
    const n = eps.length
    if (n === 0) return -1
    if (n === 1) return eps[0]!
    const current = e.current
    const weight = e.weight
    let best = eps[0]!
    current[best]! += weight[best]!
    for (let i = 1; i < n; i++) {
      const p = eps[i]!
      current[p]! += weight[p]!
      // Strictly greater: on a tie the earlier endpoint wins, as nginx.
      if (current[p]! > current[best]!) best = p
    }
    current[best]! -= e.totalWeight
    return best
  }
}

/** Registry entry for round-robin. */
export const roundRobin: AlgorithmInfo = {
  name: 'round-robin',
  aliases: ['rr', 'roundrobin', 'wrr'],
  summary: 'smooth weighted round-robin (nginx): weights 5,1,1 give a a b a c a a',
  hashed: false,
  params: [],
  create: () => new RoundRobinBalancer(),
}
