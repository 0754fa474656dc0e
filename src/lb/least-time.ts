import type { Clock } from '../base/clock.js'
import type { Rng } from '../base/rng.js'
import type { AlgorithmInfo, Outcome, PickContext } from './balancer.js'
import { BaseBalancer } from './base-balancer.js'
import { bestOfChoices } from './choices.js'
import { num } from './params.js'
import { WeightedSampler } from './weighted-sampler.js'

/**
 * Latency-aware balancing: cost = peak-EWMA of response time × (active + 1) / weight, the lowest of
 * `choices` random endpoints wins (Finagle's and Linkerd's peak EWMA, Envoy's contrib filter; nginx's
 * least_time scans all, which `choices` ≥ endpoints gives). Peak: a sample above the estimate
 * replaces it at once, so a slowing endpoint is avoided immediately; samples below it pull it down
 * with weight 1 − e^(−Δt/τ), Δt being the time since the previous sample. An endpoint without
 * samples costs `defaultRttMs`. The estimate does not decay while idle: an avoided endpoint is
 * retried when the others' active counts make it the cheaper choice.
 */
export class LeastTimeBalancer extends BaseBalancer {
  readonly algorithm = 'least-time'
  private readonly sampler = new WeightedSampler()
  private scratch = new Int32Array(0)
  private readonly cost = (p: number): number => {
    const e = this.endpoints
    const ewma = e.ewma[p]!
    const rtt = Number.isNaN(ewma) ? this.defaultRttMs : ewma
    return (rtt * (e.active[p]! + 1)) / e.weight[p]!
  }

  constructor(
    private readonly rng: Rng,
    private readonly clock: Clock,
    private readonly choices: number,
    private readonly decayMs: number,
    private readonly defaultRttMs: number,
  ) {
    super(['ewma'])
  }

  pickIndex(_ctx?: PickContext): number {
    return bestOfChoices(this.endpoints.pickable, this.choices, this.sampler, this.rng, this.scratch, this.cost)
  }

  /** The current latency estimate of `id` in ms, or undefined before its first sample. */
  estimate(id: string): number | undefined {
    const p = this.endpoints.indexOf(id)
    return p < 0 || Number.isNaN(this.endpoints.ewma[p]!) ? undefined : this.endpoints.ewma[p]
  }

  // upstream: finagle finagle-core/src/main/scala/com/twitter/finagle/loadbalancer/PeakEwma.scala (Cost.observe)
  protected override finished(p: number, outcome: Outcome): void {
    const e = this.endpoints
    const now = this.clock.now()
    const rtt = Math.max(0, outcome.durationMs)
    const ewma = e.ewma[p]!
    if (Number.isNaN(ewma) || rtt > ewma) {
      e.ewma[p] = rtt
    } else {
      const w = Math.exp(-Math.max(0, now - e.ewmaStamp[p]!) / this.decayMs)
      e.ewma[p] = ewma * w + rtt * (1 - w)
    }
    e.ewmaStamp[p] = now
  }

  protected override rebuild(): void {
    this.sampler.reset(this.endpoints.pickable, this.endpoints.weight, this.endpoints.uniform)
    // Sized to the draws a pick can make, so a huge `choices` costs nothing when it means a full scan.
    const need = Math.min(this.choices, this.endpoints.pickable.length)
    if (this.scratch.length < need) this.scratch = new Int32Array(need)
  }
}

/** Registry entry for least-time. */
export const leastTime: AlgorithmInfo = {
  name: 'least-time',
  aliases: ['least_time', 'peak-ewma', 'ewma'],
  summary: 'peak-EWMA response time × (active + 1): the latency-aware choice',
  hashed: false,
  params: [
    { name: 'choices', type: 'integer', min: 2, max: 1_000_000, default: 2, doc: 'endpoints compared per pick; ≥ the endpoint count scans all (nginx least_time)' },
    { name: 'decayMs', type: 'number', min: 1, max: 3_600_000, default: 10_000, doc: 'EWMA time constant τ in ms (Linkerd 10 s)' },
    { name: 'defaultRttMs', type: 'number', min: 0, max: 3_600_000, default: 1, doc: 'assumed response time of an endpoint with no samples yet' },
  ],
  create: (p, deps) => new LeastTimeBalancer(deps.rng, deps.clock, num(p, 'choices'), num(p, 'decayMs'), num(p, 'defaultRttMs')),
}
