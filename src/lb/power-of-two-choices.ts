import type { Rng } from '../base/rng.js'
import type { AlgorithmInfo, PickContext } from './balancer.js'
import { BaseBalancer } from './base-balancer.js'
import { bestOfChoices } from './choices.js'
import type { EndpointState } from './endpoint-set.js'
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

  constructor(
    private readonly rng: Rng,
    private readonly choices: number,
  ) {
    super()
  }

  // upstream: haproxy src/backend.c (get_server_rnd) and nginx src/http/modules/ngx_http_upstream_random_module.c (random two)
  pick(_ctx?: PickContext): string | undefined {
    return bestOfChoices(this.endpoints.pickable, this.choices, this.sampler, this.rng, this.scratch, load)?.id
  }

  protected override rebuild(): void {
    this.sampler.reset(this.endpoints.pickable, this.endpoints.uniform)
    // Sized to the draws a pick can make, so a huge `choices` costs nothing when it means a full scan.
    const need = Math.min(this.choices, this.endpoints.pickable.length)
    if (this.scratch.length < need) this.scratch = new Int32Array(need)
  }
}

function load(s: EndpointState): number {
  return s.active / s.weight
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
