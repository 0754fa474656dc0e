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

  pickIndex(_ctx?: PickContext): number {
    const e = this.endpoints
    if (e.pickable.length === 0) return -1
    const i = this.sampler.draw(this.rng)
    // All pickable: the index is the position, and a million-entry lookup (a cache miss) is saved.
    return e.dense ? i : e.pickable[i]!
  }

  protected override rebuild(): void {
    this.sampler.reset(this.endpoints.pickable, this.endpoints.weight, this.endpoints.uniform)
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
