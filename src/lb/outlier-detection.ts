import type { Clock } from '../base/clock.js'
import type { Balancer, EndpointList, EndpointSnapshot, EndpointSpec, Outcome, PickContext } from './balancer.js'
import { toSpecs } from './endpoint-set.js'

/** Settings of passive outlier ejection. */
export interface OutlierDetectionOptions {
  /** Failures in a row (onFinish with ok: false) that eject an endpoint. */
  consecutiveFailures: number
  /** How long an ejected endpoint stays out. */
  ejectionSeconds: number
  /** At most this share of the ready endpoints is ejected at once (at least one may be, if another remains). */
  maxEjectionPercent: number
}

/**
 * Passive outlier ejection over any algorithm: an endpoint failing `consecutiveFailures` times in a
 * row leaves the pick set for `ejectionSeconds` (nginx `max_fails`/`fail_timeout`, Envoy's
 * consecutive-5xx detector), then returns with a clean count. It is handed to the inner algorithm
 * as not ready, so its state (active connections, latency, ring position) is kept for its return.
 * Never ejects the last available endpoint: a degraded answer beats none.
 */
export class OutlierDetectionBalancer implements Balancer {
  private specs: readonly EndpointSpec[] = []
  private readonly failures = new Map<string, number>()
  private readonly ejectedUntil = new Map<string, number>()
  private nextReturn = Infinity

  constructor(
    private readonly inner: Balancer,
    private readonly clock: Clock,
    private readonly opts: OutlierDetectionOptions,
  ) {}

  get algorithm(): string {
    return this.inner.algorithm
  }

  pick(ctx?: PickContext): string | undefined {
    // Returns are checked lazily on the pick path: no timer to own or cancel.
    if (this.ejectedUntil.size > 0 && this.clock.now() >= this.nextReturn) this.readmit(this.clock.now())
    return this.inner.pick(ctx)
  }

  pickIndex(ctx?: PickContext): number {
    if (this.ejectedUntil.size > 0 && this.clock.now() >= this.nextReturn) this.readmit(this.clock.now())
    return this.inner.pickIndex(ctx)
  }

  onStart(id: string): void {
    this.inner.onStart(id)
  }

  onStartIndex(index: number): void {
    this.inner.onStartIndex(index)
  }

  onFinishIndex(index: number, outcome: Outcome): void {
    const spec = this.specs[index]
    if (spec === undefined) return
    this.onFinish(spec.id, outcome)
  }

  // upstream: envoy source/common/upstream/outlier_detection_impl.cc (consecutive 5xx → ejectHost)
  onFinish(id: string, outcome: Outcome): void {
    this.inner.onFinish(id, outcome)
    if (outcome.ok) {
      if (this.failures.has(id)) this.failures.delete(id)
      return
    }
    if (!this.specs.some((e) => e.id === id) || this.ejectedUntil.has(id)) return
    const n = (this.failures.get(id) ?? 0) + 1
    this.failures.set(id, n)
    if (n >= this.opts.consecutiveFailures && this.mayEject()) {
      const now = this.clock.now()
      const until = now + this.opts.ejectionSeconds * 1000
      this.ejectedUntil.set(id, until)
      this.failures.delete(id)
      this.nextReturn = Math.min(this.nextReturn, until)
      this.push()
    }
  }

  /** Ids ejected now, with the clock time (ms) each returns. */
  ejected(): Map<string, number> {
    return new Map(this.ejectedUntil)
  }

  // Positions pass through unchanged: the inner balancer always gets the caller's list, in its order.
  update(list: EndpointList): void {
    const endpoints = toSpecs(list)
    this.specs = endpoints.slice()
    const ids = new Set(endpoints.map((e) => e.id))
    for (const id of this.failures.keys()) if (!ids.has(id)) this.failures.delete(id)
    for (const id of this.ejectedUntil.keys()) if (!ids.has(id)) this.ejectedUntil.delete(id)
    this.recomputeNextReturn()
    this.push()
  }

  available(id: string): boolean {
    return !this.ejectedUntil.has(id) && this.inner.available(id)
  }

  snapshot(): EndpointSnapshot[] {
    // The inner algorithm sees ejected endpoints as not ready; report the caller's readiness instead.
    const ready = new Map(this.specs.map((e) => [e.id, e.ready ?? true]))
    return this.inner.snapshot().map((s) => ({ ...s, ready: ready.get(s.id) ?? s.ready }))
  }

  private mayEject(): boolean {
    let ready = 0
    for (const e of this.specs) if (e.ready !== false && (e.weight ?? 1) > 0) ready++
    const after = this.ejectedUntil.size + 1
    const cap = Math.max(1, Math.floor((ready * this.opts.maxEjectionPercent) / 100))
    return after <= cap && ready - after >= 1
  }

  private readmit(now: number): void {
    for (const [id, until] of this.ejectedUntil) if (until <= now) this.ejectedUntil.delete(id)
    this.recomputeNextReturn()
    this.push()
  }

  private recomputeNextReturn(): void {
    this.nextReturn = Infinity
    for (const until of this.ejectedUntil.values()) this.nextReturn = Math.min(this.nextReturn, until)
  }

  private push(): void {
    this.inner.update(this.ejectedUntil.size === 0 ? this.specs : this.specs.map((e) => (this.ejectedUntil.has(e.id) ? { ...e, ready: false } : e)))
  }
}
