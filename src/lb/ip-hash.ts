import type { AlgorithmInfo, PickContext } from './balancer.js'
import { BaseBalancer } from './base-balancer.js'
import { buildRing, ringLookup, type HashRing } from './hash-ring.js'
import { hashString } from './hash.js'
import { num } from './params.js'

/**
 * Client-IP hashing on a consistent ring (nginx `hash $remote_addr consistent`, ketama with 160
 * points per unit of weight), so removing one of N endpoints remaps only its own clients (≈ 1/N),
 * where nginx's plain `ip_hash` would remap most. `ipv4PrefixLength: 24` hashes the first three
 * octets only, as nginx's `ip_hash`. Without a client IP it falls back to round-robin, as HAProxy
 * does when the hash key is missing.
 */
export class IpHashBalancer extends BaseBalancer {
  readonly algorithm = 'ip-hash'
  private ring: HashRing = { points: new Uint32Array(0), owners: new Int32Array(0) }
  private rr = 0

  constructor(
    private readonly pointsPerWeight: number,
    private readonly ipv4PrefixLength: number,
  ) {
    super()
  }

  // upstream: nginx src/http/modules/ngx_http_upstream_hash_module.c (ngx_http_upstream_get_chash_peer)
  pickIndex(ctx?: PickContext): number {
    const eps = this.endpoints.pickable
    if (eps.length === 0) return -1
    const ip = ctx?.clientIP
    if (ip === undefined || ip === '') return eps[this.rr++ % eps.length]!
    return ringLookup(this.ring, hashString(ip, 0, this.keyEnd(ip)))
  }

  /** Where the hashed part of the address ends: the whole address, or the first octets of an IPv4 one. */
  private keyEnd(ip: string): number {
    if (this.ipv4PrefixLength === 32 || ip.includes(':')) return ip.length
    let dots = this.ipv4PrefixLength / 8
    for (let i = 0; i < ip.length; i++) if (ip.charCodeAt(i) === 46 && --dots === 0) return i
    return ip.length
  }

  protected override rebuild(): void {
    // Absolute, not normalised, point counts: an endpoint's points never depend on the others'.
    this.ring = buildRing(this.endpoints, (w) => this.pointsPerWeight * w)
  }
}

/** Registry entry for ip-hash. */
export const ipHash: AlgorithmInfo = {
  name: 'ip-hash',
  aliases: ['ip_hash', 'source', 'sh'],
  summary: 'client IP on a consistent ring (ketama): removing one of N endpoints remaps ≈ 1/N of clients',
  hashed: true,
  params: [
    { name: 'pointsPerWeight', type: 'integer', min: 1, max: 10000, default: 160, doc: 'ring points per unit of weight (ketama uses 160)' },
    { name: 'ipv4PrefixLength', type: 'integer', oneOf: [8, 16, 24, 32], default: 32, doc: 'IPv4 bits hashed; 24 = nginx ip_hash (first three octets)' },
  ],
  create: (p) => new IpHashBalancer(num(p, 'pointsPerWeight'), num(p, 'ipv4PrefixLength')),
}
