import type { Balancer, EndpointSnapshot, EndpointSpec, Outcome, PickContext } from './balancer.js'
import { EndpointSet, type EndpointState } from './endpoint-set.js'

/**
 * The shared half of every algorithm: endpoint updates that keep state, active counts from
 * onStart/onFinish, availability and snapshots. Subclasses write pick() and, when they precompute
 * (tables, rings, heaps), rebuild().
 */
export abstract class BaseBalancer implements Balancer {
  abstract readonly algorithm: string
  protected readonly endpoints = new EndpointSet()

  abstract pick(ctx?: PickContext): string | undefined

  update(endpoints: readonly EndpointSpec[]): void {
    if (this.endpoints.update(endpoints)) this.rebuild()
  }

  onStart(id: string): void {
    const s = this.endpoints.get(id)
    if (!s) return
    s.active++
    this.activeChanged(s)
  }

  onFinish(id: string, outcome: Outcome): void {
    const s = this.endpoints.get(id)
    if (!s) return
    // Clamp: an endpoint removed and re-added mid-connection comes back with a fresh count.
    if (s.active > 0) s.active--
    this.finished(s, outcome)
    this.activeChanged(s)
  }

  available(id: string): boolean {
    const s = this.endpoints.get(id)
    return s !== undefined && s.index >= 0
  }

  snapshot(): EndpointSnapshot[] {
    return this.endpoints.all.map((s) => ({ id: s.id, weight: s.weight, ready: s.ready, available: s.index >= 0, active: s.active }))
  }

  /** Called after the pickable set or a weight changed. */
  protected rebuild(): void {}

  /** Called after an endpoint's active count changed (heaps re-sort here). */
  protected activeChanged(_s: EndpointState): void {}

  /** Called on each finish, before activeChanged (latency estimates update here). */
  protected finished(_s: EndpointState, _outcome: Outcome): void {}
}
