import type { Rng } from '../base/rng.js'
import type { AlgorithmInfo, PickContext } from './balancer.js'
import { BaseBalancer } from './base-balancer.js'
import { bestOfChoices, drawn } from './choices.js'
import { num } from './params.js'
import { WeightedSampler } from './weighted-sampler.js'

/**
 * Power of d choices (Mitzenmacher): draw `choices` distinct endpoints at random (weighted), send to
 * the one with the fewest active per weight. HAProxy's `random(2)` (its default since 3.3), nginx's
 * `random two least_conn`, Envoy's least-request with equal weights. O(d) per pick.
 */
export class PowerOfTwoChoicesBalancer extends BaseBalancer {
  readonly algorithm = 'power-of-two-choices'
  private readonly sampler = new WeightedSampler()
  private scratch = new Int32Array(0)
  /** Active per unit of weight at a position: the load P2C compares. */
  private readonly load = (p: number): number => this.endpoints.active[p]! / this.endpoints.weight[p]!

  constructor(
    private readonly rng: Rng,
    private readonly choices: number,
  ) {
    super()
  }

  // upstream: haproxy src/backend.c (get_server_rnd) and nginx src/http/modules/ngx_http_upstream_random_module.c (random two)
  pickIndex(_ctx?: PickContext): number {
    const e = this.endpoints
    const n = e.pickable.length
    const d = this.choices
    if (!e.uniform || d >= n) return bestOfChoices(e.pickable, d, this.sampler, this.rng, this.scratch, this.load)
    // Equal weights: the very draws bestOfChoices makes (a uniform index; a repeat redrawn up to 8
    // times, then the next index), inlined so a pick reads only the active column (the division by
    // an equal weight changes no comparison) and skips the pickable lookup when all are pickable.
    // With a million endpoints each read is a cache miss, so the reads saved are the time saved.
    const rng = this.rng
    const scratch = this.scratch
    const active = e.active
    const pickable = e.pickable
    const dense = e.dense
    for (let k = 0; k < d; k++) {
      let idx = Math.floor(rng() * n)
      for (let tries = 0; drawn(scratch, k, idx); tries++) idx = tries < 8 ? Math.floor(rng() * n) : (idx + 1) % n
      scratch[k] = idx
    }
    // All draws first, then the reads: the reads do not depend on each other, so the CPU overlaps
    // their cache misses instead of waiting for one before the next draw.
    let best = dense ? scratch[0]! : pickable[scratch[0]!]!
    let bestLoad = active[best]!
    for (let k = 1; k < d; k++) {
      const p = dense ? scratch[k]! : pickable[scratch[k]!]!
      const l = active[p]!
      if (l < bestLoad) {
        best = p
        bestLoad = l
      }
    }
    return best
  }

  protected override rebuild(): void {
    this.sampler.reset(this.endpoints.pickable, this.endpoints.weight, this.endpoints.uniform)
    // Sized to the draws a pick can make, so a huge `choices` costs nothing when it means a full scan.
    const need = Math.min(this.choices, this.endpoints.pickable.length)
    if (this.scratch.length < need) this.scratch = new Int32Array(need)
  }
}

/** Registry entry for power-of-two-choices. */
export const powerOfTwoChoices: AlgorithmInfo = {
  name: 'power-of-two-choices',
  aliases: ['p2c', 'random-two', 'twos', 'least-request'],
  summary: 'draw d distinct endpoints at random, the fewest active per weight wins',
  hashed: false,
  params: [{ name: 'choices', type: 'integer', min: 2, max: 64, default: 2, doc: 'endpoints drawn per pick (HAProxy random(<draws>); 2 = P2C)' }],
  create: (p, deps) => new PowerOfTwoChoicesBalancer(deps.rng, num(p, 'choices')),
}
