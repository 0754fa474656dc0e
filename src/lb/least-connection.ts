import type { AlgorithmInfo, PickContext } from './balancer.js'
import { BaseBalancer } from './base-balancer.js'
import { EndpointHeap } from './endpoint-heap.js'
import type { EndpointState } from './endpoint-set.js'

/**
 * Weighted least-connection, as nginx's `least_conn`: the endpoint with the fewest active per unit
 * of weight, and among equals a weighted round-robin, so light load (every endpoint idle, the
 * common case for short requests) is still shared by weight and never falls on the first
 * endpoint. The round-robin is stride scheduling: each pick advances the endpoint's pass by
 * 1 / weight and the lowest pass wins a tie. A heap keyed on (active / weight, pass) makes pick,
 * onStart and onFinish O(log n) where nginx scans every peer.
 */
export class LeastConnectionBalancer extends BaseBalancer {
  readonly algorithm = 'least-connection'
  private readonly heap = new EndpointHeap(lessLoaded)
  /** Pass of the most recent pick: where an endpoint joining the rotation starts, so it gets no burst. */
  private virtualTime = 0

  // upstream: nginx src/http/modules/ngx_http_upstream_least_conn_module.c (ngx_http_upstream_get_least_conn_peer)
  pick(_ctx?: PickContext): string | undefined {
    const best = this.heap.top()
    if (!best) return undefined
    this.virtualTime = best.lastPick
    best.lastPick += 1 / best.weight
    this.heap.fix(best)
    return best.id
  }

  protected override rebuild(): void {
    for (const s of this.endpoints.pickable) if (s.heapPos === -1 && s.lastPick < this.virtualTime) s.lastPick = this.virtualTime
    this.heap.reset(this.endpoints.pickable)
  }

  protected override activeChanged(s: EndpointState): void {
    this.heap.fix(s)
  }
}

/** Load order: active / weight by cross-multiplication (exact for integer weights), then pass, then list order. */
function lessLoaded(a: EndpointState, b: EndpointState): boolean {
  const la = a.active * b.weight
  const lb = b.active * a.weight
  if (la !== lb) return la < lb
  if (a.lastPick !== b.lastPick) return a.lastPick < b.lastPick
  return a.index < b.index
}

/** Registry entry for least-connection. */
export const leastConnection: AlgorithmInfo = {
  name: 'least-connection',
  aliases: ['leastconn', 'least-conn', 'least_conn', 'lc', 'wlc'],
  summary: 'fewest active connections per weight (nginx least_conn); ties by weighted round-robin',
  hashed: false,
  params: [],
  create: () => new LeastConnectionBalancer(),
}
