import type { Balancer, EndpointList, EndpointSnapshot, Outcome, PickContext } from './balancer.js'
import { EndpointSet, type StateColumn } from './endpoint-set.js'

/**
 * The shared half of every algorithm: endpoint updates that keep state, active counts from
 * onStart/onFinish, availability and snapshots, with the id-addressed methods mapped onto the
 * position-addressed ones. Subclasses write pickIndex() and, when they precompute (tables, rings,
 * heaps), rebuild(); hooks receive positions in `this.endpoints`.
 */
export abstract class BaseBalancer implements Balancer {
  abstract readonly algorithm: string
  protected readonly endpoints: EndpointSet

  /** @param columns the per-endpoint state columns the algorithm uses beyond weight, readiness and active count. */
  constructor(columns: readonly StateColumn[] = []) {
    this.endpoints = new EndpointSet(columns)
  }

  abstract pickIndex(ctx?: PickContext): number

  pick(ctx?: PickContext): string | undefined {
    const i = this.pickIndex(ctx)
    return i < 0 ? undefined : this.endpoints.ids.list[i]
  }

  update(endpoints: EndpointList): void {
    if (this.endpoints.update(endpoints)) this.rebuild()
  }

  onStart(id: string): void {
    this.onStartIndex(this.endpoints.indexOf(id))
  }

  onStartIndex(i: number): void {
    const e = this.endpoints
    if (!(i >= 0 && i < e.active.length)) return
    e.active[i]!++
    this.activeChanged(i)
  }

  onFinish(id: string, outcome: Outcome): void {
    this.onFinishIndex(this.endpoints.indexOf(id), outcome)
  }

  onFinishIndex(i: number, outcome: Outcome): void {
    const e = this.endpoints
    if (!(i >= 0 && i < e.active.length)) return
    // Clamp: an endpoint removed and re-added mid-connection comes back with a fresh count.
    if (e.active[i]! > 0) e.active[i]!--
    this.finished(i, outcome)
    this.activeChanged(i)
  }

  available(id: string): boolean {
    const i = this.endpoints.indexOf(id)
    return i >= 0 && this.endpoints.slot[i]! >= 0
  }

  snapshot(): EndpointSnapshot[] {
    const e = this.endpoints
    return e.ids.list.map((id, i) => ({ id, weight: e.weight[i]!, ready: e.ready[i] === 1, available: e.slot[i]! >= 0, active: e.active[i]! }))
  }

  /** Called after the pickable set, a weight or a position changed. */
  protected rebuild(): void {}

  /** Called after the active count of the endpoint at position `i` changed (heaps re-sort here). */
  protected activeChanged(_i: number): void {}

  /** Called on each finish at position `i`, before activeChanged (latency estimates update here). */
  protected finished(_i: number, _outcome: Outcome): void {}
}
