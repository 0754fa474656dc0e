import type { Rng } from '../base/rng.js'
import type { AlgorithmInfo, PickContext } from './balancer.js'
import { BaseBalancer } from './base-balancer.js'
import { WeightedSampler } from './weighted-sampler.js'

/**
 * Weighted random choice from the injected RNG: what the iptables and nftables modes do per
 * connection (uniformly, as they have no weights), and Envoy's advice when there is no health checking.
 */
export class RandomBalancer extends BaseBalancer {
  readonly algorithm = 'random'
  private readonly sampler = new WeightedSampler()

  constructor(private readonly rng: Rng) {
    super()
  }

  pick(_ctx?: PickContext): string | undefined {
    const eps = this.endpoints.pickable
    if (eps.length === 0) return undefined
    return eps[this.sampler.draw(this.rng)]!.id
  }

  protected override rebuild(): void {
    this.sampler.reset(this.endpoints.pickable, this.endpoints.uniform)
  }
}

/** Registry entry for random. */
export const random: AlgorithmInfo = {
  name: 'random',
  aliases: [],
  summary: 'weighted random per pick (what the iptables/nftables modes do, uniformly)',
  hashed: false,
  params: [],
  create: (_p, deps) => new RandomBalancer(deps.rng),
}
