// kube-proxy's iptables mode as a Balancer: per connection, the KUBE-SVC chain's rules are tried in
// order, rule i matching with probability 1/(n−i) and the last one unconditionally. Faithful to the
// kernel: the rule's text is `%0.10f` of 1/(n−i), iptables stores lround(2^31·p), and xt_statistic
// matches when a 31-bit random draw is below it.
import type { Rng } from '../base/rng.js'
import type { Balancer, EndpointSnapshot, EndpointSpec, Outcome, PickContext } from '../lb/balancer.js'

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
  private all: { id: string; ready: boolean; weight: number; active: number }[] = []
  private byId = new Map<string, { id: string; ready: boolean; weight: number; active: number }>()
  private ready: string[] = []
  private thresholds = new Float64Array(0)

  constructor(private readonly rng: Rng) {}

  // upstream: pkg/proxy/iptables/proxier.go (writeServiceToEndpointRules: "-m statistic --mode random
  // --probability" on every rule but the last, which "is a guaranteed match")
  pick(_ctx?: PickContext): string | undefined {
    const ready = this.ready
    const n = ready.length
    if (n === 0) return undefined
    const th = this.thresholds
    for (let i = 0; i < n - 1; i++) {
      // xt_statistic: (get_random_u32() & 0x7FFFFFFF) < probability
      if (Math.floor(this.rng() * TWO_31) < th[i]!) return ready[i]
    }
    return ready[n - 1]
  }

  onStart(id: string): void {
    const s = this.byId.get(id)
    if (s) s.active++
  }

  onFinish(id: string, _outcome: Outcome): void {
    const s = this.byId.get(id)
    if (s && s.active > 0) s.active--
  }

  update(endpoints: readonly EndpointSpec[]): void {
    const next = new Map<string, { id: string; ready: boolean; weight: number; active: number }>()
    this.all = endpoints.map((e) => {
      const s = this.byId.get(e.id) ?? { id: e.id, ready: true, weight: 1, active: 0 }
      s.ready = e.ready ?? true
      s.weight = e.weight ?? 1
      next.set(e.id, s)
      return s
    })
    this.byId = next
    this.ready = this.all.filter((s) => s.ready && s.weight > 0).map((s) => s.id)
    const n = this.ready.length
    this.thresholds = new Float64Array(Math.max(0, n - 1))
    for (let i = 0; i < n - 1; i++) this.thresholds[i] = cascadeThreshold(n - i)
  }

  available(id: string): boolean {
    const s = this.byId.get(id)
    return s !== undefined && s.ready && s.weight > 0
  }

  snapshot(): EndpointSnapshot[] {
    return this.all.map((s) => ({ id: s.id, weight: s.weight, ready: s.ready, available: s.ready && s.weight > 0, active: s.active }))
  }
}
