// kube-proxy's iptables mode as a Balancer: per connection, the KUBE-SVC chain's rules are tried in
// order, rule i matching with probability 1/(n−i) and the last one unconditionally. Faithful to the
// kernel: the rule's text is `%0.10f` of 1/(n−i), iptables stores lround(2^31·p), and xt_statistic
// matches when a 31-bit random draw is below it.
import type { Rng } from '../base/rng.js'
import type { Balancer, EndpointColumns, EndpointList, EndpointSnapshot, Outcome, PickContext } from '../lb/balancer.js'
import { EndpointIds, isColumns, validateColumns, validateEndpoints } from '../lb/endpoint-set.js'

const TWO_31 = 0x80000000

/** The 31-bit threshold xt_statistic compares against for the cascade rule with n endpoints left. */
export function cascadeThreshold(remaining: number): number {
  // upstream: pkg/proxy/iptables/proxier.go (computeProbability: fmt.Sprintf("%0.10f", 1.0/n));
  // iptables extensions/libxt_statistic.c (lround(0x80000000 * prob)). toFixed differs from Go's %f
  // only on exact decimal ties (n = 2048 is one), by 1e-10: under 2^-31, so at most one step of the threshold.
  const p = Number((1 / remaining).toFixed(10))
  return Math.round(TWO_31 * p)
}

/**
 * The kube-proxy probability cascade over the ready endpoints, in the order given (kube-proxy writes
 * them in EndpointSlice order). Unweighted, like kube-proxy; `weight` 0 or `ready: false` leaves
 * the cascade. Implements the lb Balancer contract so the engine drives it like any algorithm.
 */
export class IptablesCascadeBalancer implements Balancer {
  readonly algorithm = 'iptables'
  private ids: EndpointIds = new EndpointIds([], true)
  private weight = new Float64Array(0)
  private readyCol = new Uint8Array(0)
  private active = new Int32Array(0)
  /** Positions of the rules' endpoints, in cascade order. */
  private ready = new Int32Array(0)
  private thresholds = new Float64Array(0)

  constructor(private readonly rng: Rng) {}

  // upstream: pkg/proxy/iptables/proxier.go (writeServiceToEndpointRules: "-m statistic --mode random
  // --probability" on every rule but the last, which "is a guaranteed match")
  pickIndex(_ctx?: PickContext): number {
    const ready = this.ready
    const n = ready.length
    if (n === 0) return -1
    const th = this.thresholds
    for (let i = 0; i < n - 1; i++) {
      // xt_statistic: (get_random_u32() & 0x7FFFFFFF) < probability
      if (Math.floor(this.rng() * TWO_31) < th[i]!) return ready[i]!
    }
    return ready[n - 1]!
  }

  pick(ctx?: PickContext): string | undefined {
    const i = this.pickIndex(ctx)
    return i < 0 ? undefined : this.ids.list[i]
  }

  onStart(id: string): void {
    this.onStartIndex(this.ids.indexOf(id))
  }

  onStartIndex(i: number): void {
    if (i >= 0 && i < this.active.length) this.active[i]!++
  }

  onFinish(id: string, outcome: Outcome): void {
    this.onFinishIndex(this.ids.indexOf(id), outcome)
  }

  onFinishIndex(i: number, _outcome: Outcome): void {
    if (i >= 0 && i < this.active.length && this.active[i]! > 0) this.active[i]!--
  }

  update(list: EndpointList): void {
    const specs = isColumns(list) ? undefined : list
    if (specs !== undefined) validateEndpoints(specs)
    else validateColumns(list as EndpointColumns)
    const ids = specs !== undefined ? new EndpointIds(specs.map((e) => e.id), true) : (list as EndpointColumns).ids
    const n = ids.length
    // Active counts follow the id; the simulator passes the same ids each time, so nothing moves.
    const active = new Int32Array(n)
    const same = ids === this.ids
    for (let i = 0; i < n; i++) {
      const old = same ? i : this.ids.indexOf(ids.list[i]!)
      if (old >= 0) active[i] = this.active[old]!
    }
    const cols = list as EndpointColumns
    this.weight = Float64Array.from({ length: n }, (_, i) => (specs !== undefined ? (specs[i]!.weight ?? 1) : cols.weights === undefined ? 1 : cols.weights[i]!))
    this.readyCol = Uint8Array.from({ length: n }, (_, i) => (specs !== undefined ? specs[i]!.ready !== false : cols.ready === undefined || cols.ready[i] !== 0) ? 1 : 0)
    this.ids = ids
    this.active = active
    const ready: number[] = []
    for (let i = 0; i < n; i++) if (this.readyCol[i] === 1 && this.weight[i]! > 0) ready.push(i)
    this.ready = Int32Array.from(ready)
    const m = ready.length
    this.thresholds = new Float64Array(Math.max(0, m - 1))
    for (let i = 0; i < m - 1; i++) this.thresholds[i] = cascadeThreshold(m - i)
  }

  available(id: string): boolean {
    const i = this.ids.indexOf(id)
    return i >= 0 && this.readyCol[i] === 1 && this.weight[i]! > 0
  }

  snapshot(): EndpointSnapshot[] {
    return this.ids.list.map((id, i) => {
      const ready = this.readyCol[i] === 1
      return { id, weight: this.weight[i]!, ready, available: ready && this.weight[i]! > 0, active: this.active[i]! }
    })
  }
}
