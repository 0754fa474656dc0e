import type { Rng } from '../base/rng.js'
import type { EndpointState } from './endpoint-set.js'
import type { WeightedSampler } from './weighted-sampler.js'

/**
 * Best of `d` distinct random endpoints by `cost` (lowest wins; ties keep the earlier draw), the
 * core of power-of-two-choices and least-time. With d ≥ n it scans every endpoint instead,
 * starting at a random one.
 * Draws are weighted through the sampler; a repeated draw is redrawn a few times, then the next
 * index is taken, so distinctness never loops forever on skewed weights. `scratch` holds the
 * indices already drawn, so nothing is allocated per pick.
 */
export function bestOfChoices(
  pickable: readonly EndpointState[],
  d: number,
  sampler: WeightedSampler,
  rng: Rng,
  scratch: Int32Array,
  cost: (s: EndpointState) => number,
): EndpointState | undefined {
  const n = pickable.length
  if (n === 0) return undefined
  if (n === 1) return pickable[0]
  if (d >= n) {
    // Scan from a random (weighted) start so that ties fall as random draws would, not on the first.
    const start = sampler.draw(rng)
    let best = pickable[start]!
    let bestCost = cost(best)
    for (let k = 1; k < n; k++) {
      const s = pickable[(start + k) % n]!
      const c = cost(s)
      if (c < bestCost) {
        best = s
        bestCost = c
      }
    }
    return best
  }
  let best: EndpointState | undefined
  let bestCost = Infinity
  for (let k = 0; k < d; k++) {
    let idx = sampler.draw(rng)
    for (let tries = 0; drawn(scratch, k, idx); tries++) idx = tries < 8 ? sampler.draw(rng) : (idx + 1) % n
    scratch[k] = idx
    const s = pickable[idx]!
    const c = cost(s)
    if (best === undefined || c < bestCost) {
      best = s
      bestCost = c
    }
  }
  return best
}

function drawn(scratch: Int32Array, k: number, idx: number): boolean {
  for (let j = 0; j < k; j++) if (scratch[j] === idx) return true
  return false
}
