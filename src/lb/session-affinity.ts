import type { Clock } from '../base/clock.js'
import type { Balancer, EndpointList, EndpointSnapshot, Outcome, PickContext } from './balancer.js'
import { toSpecs } from './endpoint-set.js'

/** One client's binding: the endpoint and when the client last used it (clock ms). */
interface AffinityEntry {
  id: string
  lastUsed: number
}

/**
 * `sessionAffinity: ClientIP` over any algorithm: a client IP seen within `timeoutSeconds` of its
 * last pick goes to the same endpoint while that endpoint stays available; otherwise the inner
 * algorithm picks and the binding moves. Each use refreshes the binding, as the userspace proxy's
 * `lastUsed` and the iptables mode's `-m recent --set` on every new connection. Bindings of removed
 * endpoints are dropped on update; expired ones are swept at most once per timeout.
 */
export class SessionAffinityBalancer implements Balancer {
  private readonly table = new Map<string, AffinityEntry>()
  private readonly timeoutMs: number
  private nextSweep = 0
  /** Position of each id in the last update, for pickIndex. */
  private positions = new Map<string, number>()

  constructor(
    private readonly inner: Balancer,
    private readonly clock: Clock,
    timeoutSeconds: number,
  ) {
    this.timeoutMs = timeoutSeconds * 1000
  }

  get algorithm(): string {
    return this.inner.algorithm
  }

  // upstream: pkg/proxy/userspace/roundrobin.go (NextEndpoint: affinityMap, lastUsed, ttlSeconds; removed in 1.26)
  pick(ctx?: PickContext): string | undefined {
    const ip = ctx?.clientIP
    if (ip === undefined || ip === '') return this.inner.pick(ctx)
    const now = this.clock.now()
    if (now >= this.nextSweep) this.sweep(now)
    const entry = this.table.get(ip)
    if (entry !== undefined && now - entry.lastUsed < this.timeoutMs && this.inner.available(entry.id)) {
      entry.lastUsed = now
      return entry.id
    }
    const id = this.inner.pick(ctx)
    if (id === undefined) return undefined
    if (entry !== undefined) {
      entry.id = id
      entry.lastUsed = now
    } else {
      this.table.set(ip, { id, lastUsed: now })
    }
    return id
  }

  pickIndex(ctx?: PickContext): number {
    const ip = ctx?.clientIP
    if (ip === undefined || ip === '') return this.inner.pickIndex(ctx)
    const id = this.pick(ctx)
    return id === undefined ? -1 : (this.positions.get(id) ?? -1)
  }

  /** The endpoint `clientIP` is bound to now, or undefined (for stats and tests). */
  boundTo(clientIP: string): string | undefined {
    const entry = this.table.get(clientIP)
    return entry !== undefined && this.clock.now() - entry.lastUsed < this.timeoutMs ? entry.id : undefined
  }

  /** Number of bindings held (expired ones linger until the next sweep). */
  get size(): number {
    return this.table.size
  }

  onStart(id: string): void {
    this.inner.onStart(id)
  }

  onStartIndex(index: number): void {
    this.inner.onStartIndex(index)
  }

  onFinish(id: string, outcome: Outcome): void {
    this.inner.onFinish(id, outcome)
  }

  onFinishIndex(index: number, outcome: Outcome): void {
    this.inner.onFinishIndex(index, outcome)
  }

  update(list: EndpointList): void {
    this.inner.update(list)
    this.positions = new Map(toSpecs(list).map((e, i) => [e.id, i]))
    for (const [ip, entry] of this.table) if (!this.positions.has(entry.id)) this.table.delete(ip)
  }

  available(id: string): boolean {
    return this.inner.available(id)
  }

  snapshot(): EndpointSnapshot[] {
    return this.inner.snapshot()
  }

  private sweep(now: number): void {
    for (const [ip, entry] of this.table) if (now - entry.lastUsed >= this.timeoutMs) this.table.delete(ip)
    this.nextSweep = now + this.timeoutMs
  }
}
