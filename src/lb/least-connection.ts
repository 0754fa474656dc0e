import type { AlgorithmInfo, PickContext } from './balancer.js'
import { BaseBalancer } from './base-balancer.js'
import { EndpointHeap } from './endpoint-heap.js'

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
  private readonly heap = new EndpointHeap((a, b) => this.lessLoaded(a, b))
  /** Pass of the most recent pick: where an endpoint joining the rotation starts, so it gets no burst. */
  private virtualTime = 0

  constructor() {
    super(['lastPick', 'heapPos'])
  }

  // upstream: nginx src/http/modules/ngx_http_upstream_least_conn_module.c (ngx_http_upstream_get_least_conn_peer)
  pickIndex(_ctx?: PickContext): number {
    const best = this.heap.top()
    if (best < 0) return -1
    const e = this.endpoints
    this.virtualTime = e.lastPick[best]!
    e.lastPick[best]! += 1 / e.weight[best]!
    this.heap.fix(best)
    return best
  }

  protected override rebuild(): void {
    const e = this.endpoints
    // heapPos still says who was in the rotation before this update (the columns moved with their ids).
    for (const p of e.pickable) if (e.heapPos[p] === -1 && e.lastPick[p]! < this.virtualTime) e.lastPick[p] = this.virtualTime
    this.heap.reset(e.pickable, e.heapPos)
  }

  protected override activeChanged(p: number): void {
    this.heap.fix(p)
  }

  /** Load order: active / weight by cross-multiplication (exact for integer weights), then pass, then list order. */
  private lessLoaded(a: number, b: number): boolean {
    const e = this.endpoints
    const la = e.active[a]! * e.weight[b]!
    const lb = e.active[b]! * e.weight[a]!
    if (la !== lb) return la < lb
    if (e.lastPick[a] !== e.lastPick[b]) return e.lastPick[a]! < e.lastPick[b]!
    return a < b
  }
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
