import type { Clock } from '../base/clock.js'
import type { Balancer, EndpointList, EndpointSnapshot, EndpointSpec, Outcome, PickContext } from './balancer.js'
import { toSpecs } from './endpoint-set.js'

/** Settings of the slow-start ramp (Envoy's names). */
export interface SlowStartOptions {
  /** Length of the ramp after an endpoint becomes ready. */
  windowSeconds: number
  /** Curve shape: 1 is linear (HAProxy's `slowstart`), larger ramps faster at first. */
  aggression: number
  /** The ramp never gives less than this share of the weight, so a new endpoint is tried at all. */
  minWeightPercent: number
}

/** The weight factor `elapsedMs` into a ramp: max(minWeight, (max(t, 1) / window)^(1 / aggression)), capped at 1. */
// upstream: envoy source/common/upstream/load_balancer_impl.cc (EdfLoadBalancerBase::applySlowStartFactor)
export function slowStartFactor(elapsedMs: number, opts: SlowStartOptions): number {
  const windowMs = opts.windowSeconds * 1000
  if (elapsedMs >= windowMs) return 1
  const timeFactor = Math.max(elapsedMs, 1) / windowMs
  return Math.min(1, Math.max(opts.minWeightPercent / 100, Math.pow(timeFactor, 1 / opts.aggression)))
}

/**
 * Slow start over a weighted algorithm: an endpoint that becomes ready after the first update
 * (a new pod, one back from ejection) gets its weight scaled up over `windowSeconds`, so a cold
 * cache or JIT is not handed a full share at once. As HAProxy, endpoints present at start are not
 * ramped. Weights are recomputed lazily on picks, at most every 1/20 of the window.
 */
export class SlowStartBalancer implements Balancer {
  private specs: readonly EndpointSpec[] = []
  private readonly since = new Map<string, number>()
  private knownReady = new Set<string>()
  private started = false
  private nextRecompute = Infinity
  private readonly stepMs: number

  constructor(
    private readonly inner: Balancer,
    private readonly clock: Clock,
    private readonly opts: SlowStartOptions,
  ) {
    this.stepMs = Math.max(1, (opts.windowSeconds * 1000) / 20)
  }

  get algorithm(): string {
    return this.inner.algorithm
  }

  pick(ctx?: PickContext): string | undefined {
    if (this.since.size > 0) {
      const now = this.clock.now()
      if (now >= this.nextRecompute) this.push(now)
    }
    return this.inner.pick(ctx)
  }

  pickIndex(ctx?: PickContext): number {
    if (this.since.size > 0) {
      const now = this.clock.now()
      if (now >= this.nextRecompute) this.push(now)
    }
    return this.inner.pickIndex(ctx)
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

  // Positions pass through unchanged: the inner balancer always gets the caller's list, in its order.
  update(list: EndpointList): void {
    const endpoints = toSpecs(list)
    const now = this.clock.now()
    const ready = new Set<string>()
    for (const e of endpoints) if (e.ready !== false && (e.weight ?? 1) > 0) ready.add(e.id)
    if (this.started) for (const id of ready) if (!this.knownReady.has(id)) this.since.set(id, now)
    for (const id of this.since.keys()) if (!ready.has(id)) this.since.delete(id)
    this.knownReady = ready
    this.started = true
    this.specs = endpoints.slice()
    this.push(now)
  }

  /** Ids still ramping, with their current weight factor. */
  ramping(): Map<string, number> {
    const now = this.clock.now()
    return new Map([...this.since].map(([id, t]) => [id, slowStartFactor(now - t, this.opts)]))
  }

  available(id: string): boolean {
    return this.inner.available(id)
  }

  snapshot(): EndpointSnapshot[] {
    return this.inner.snapshot()
  }

  private push(now: number): void {
    for (const [id, t] of this.since) if (now - t >= this.opts.windowSeconds * 1000) this.since.delete(id)
    const specs =
      this.since.size === 0
        ? this.specs
        : this.specs.map((e) => {
            const t = this.since.get(e.id)
            return t === undefined ? e : { ...e, weight: (e.weight ?? 1) * slowStartFactor(now - t, this.opts) }
          })
    this.inner.update(specs)
    this.nextRecompute = this.since.size > 0 ? now + this.stepMs : Infinity
  }
}
