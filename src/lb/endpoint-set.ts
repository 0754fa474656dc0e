// The endpoint bookkeeping every algorithm shares: validation, per-id state that survives updates,
// and the dense list of pickable endpoints the algorithms index into.
import type { EndpointSpec } from './balancer.js'
import { BalancerConfigError } from './errors.js'

/**
 * The state of one endpoint. One class with every algorithm's fields keeps objects monomorphic
 * (fast property access in V8) and lets state survive a change of wrapper or weight.
 */
export class EndpointState {
  /** Current weight (may be fractional while slow start ramps it). */
  weight = 1
  ready = true
  /** Position in EndpointSet.pickable, or -1 when not pickable. */
  index = -1
  /** Position in EndpointSet.all. */
  order = 0
  /** Started and not finished. */
  active = 0
  /** Smooth weighted round-robin's current weight (nginx `current_weight`). */
  current = 0
  /** Round-robin position for tie-breaking (least-connection's stride-scheduling pass). */
  lastPick = 0
  /** Position in an algorithm's heap, or -1. */
  heapPos = -1
  /** Peak-EWMA latency estimate in ms, and the clock time (ms) of its last sample; NaN until set. */
  ewma = Number.NaN
  ewmaStamp = 0
  /** Set when the endpoint leaves the list, so stale references do nothing. */
  removed = false

  constructor(readonly id: string) {}
}

/** Validates an endpoint list, naming the offending entry and field. */
export function validateEndpoints(endpoints: readonly EndpointSpec[]): void {
  if (!Array.isArray(endpoints)) throw new BalancerConfigError('endpoints', 'must be an array of { id, weight?, ready? }')
  const seen = new Set<string>()
  endpoints.forEach((ep, i) => {
    if (typeof ep?.id !== 'string' || ep.id === '') throw new BalancerConfigError(`endpoints[${i}].id`, 'must be a non-empty string')
    if (seen.has(ep.id)) throw new BalancerConfigError(`endpoints[${i}].id`, `duplicate id "${ep.id}"; each endpoint must appear once`)
    seen.add(ep.id)
    if (ep.weight !== undefined && !(typeof ep.weight === 'number' && Number.isFinite(ep.weight) && ep.weight >= 0)) {
      throw new BalancerConfigError(`endpoints[${i}].weight`, `must be a finite number ≥ 0 (got ${String(ep.weight)})`)
    }
    if (ep.ready !== undefined && typeof ep.ready !== 'boolean') {
      throw new BalancerConfigError(`endpoints[${i}].ready`, `must be a boolean (got ${String(ep.ready)})`)
    }
  })
}

/** The known endpoints, indexed by id, with the pickable ones (ready, weight > 0) in a dense array. */
export class EndpointSet {
  /** Every endpoint of the last update, in its order. */
  all: EndpointState[] = []
  /** Ready endpoints with weight > 0, in update order; `state.index` is the position here. */
  pickable: EndpointState[] = []
  /** Sum of the pickable endpoints' weights. */
  totalWeight = 0
  /** True when every pickable endpoint has the same weight (lets algorithms skip weighted paths). */
  uniform = true
  private byId = new Map<string, EndpointState>()

  /** The state of `id`, or undefined when it is not in the list. */
  get(id: string): EndpointState | undefined {
    return this.byId.get(id)
  }

  /**
   * Applies a new list, keeping the state of endpoints whose id stays.
   * Returns true when the pickable set or any weight changed (the algorithm must rebuild).
   */
  update(endpoints: readonly EndpointSpec[]): boolean {
    validateEndpoints(endpoints)
    const prevPickable = this.pickable
    const next = new Map<string, EndpointState>()
    const all: EndpointState[] = []
    const pickable: EndpointState[] = []
    let changed = false
    for (const ep of endpoints) {
      let s = this.byId.get(ep.id)
      if (!s) s = new EndpointState(ep.id)
      const weight = ep.weight ?? 1
      const ready = ep.ready ?? true
      if (s.weight !== weight) changed = true
      s.weight = weight
      s.ready = ready
      s.order = all.length
      all.push(s)
      next.set(ep.id, s)
      if (ready && weight > 0) {
        if (s.index !== pickable.length || prevPickable[s.index] !== s) changed = true
        s.index = pickable.length
        pickable.push(s)
      } else {
        s.index = -1
      }
    }
    for (const [id, s] of this.byId) {
      if (!next.has(id)) {
        s.removed = true
        s.index = -1
      }
    }
    if (pickable.length !== prevPickable.length) changed = true
    this.byId = next
    this.all = all
    this.pickable = pickable
    this.totalWeight = 0
    this.uniform = true
    for (const s of pickable) {
      this.totalWeight += s.weight
      if (s.weight !== pickable[0]!.weight) this.uniform = false
    }
    return changed
  }
}
