import type { Rng } from '../base/rng.js'
import type { WeightedSampler } from './weighted-sampler.js'

/**
 * Best of `d` distinct random endpoints by `cost` (lowest wins; ties keep the earlier draw), the
 * core of power-of-two-choices and least-time. `pickable` holds endpoint positions, `cost` takes a
 * position; the result is a position, or -1 when nothing is pickable. With d ≥ n it scans every
 * endpoint instead, starting at a random one.
 * Draws are weighted through the sampler; a repeated draw is redrawn a few times, then the next
 * index is taken, so distinctness never loops forever on skewed weights. `scratch` holds the
 * indices already drawn, so nothing is allocated per pick.
 */
export function bestOfChoices(
  pickable: Int32Array,
  d: number,
  sampler: WeightedSampler,
  rng: Rng,
  scratch: Int32Array,
  cost: (position: number) => number,
): number {
  const n = pickable.length
  if (n === 0) return -1
  if (n === 1) return pickable[0]!
  if (d >= n) {
    // Scan from a random (weighted) start so that ties fall as random draws would, not on the first.
    const start = sampler.draw(rng)
    let best = pickable[start]!
    let bestCost = cost(best)
    for (let k = 1; k < n; k++) {
      let j = start + k
      if (j >= n) j -= n
      const p = pickable[j]!
      const c = cost(p)
      if (c < bestCost) {
        best = p
        bestCost = c
      }
    }
    return best
  }
  let best = -1
  let bestCost = Infinity
  for (let k = 0; k < d; k++) {
    let idx = sampler.draw(rng)
    for (let tries = 0; drawn(scratch, k, idx); tries++) idx = tries < 8 ? sampler.draw(rng) : (idx + 1) % n
    scratch[k] = idx
    const p = pickable[idx]!
    const c = cost(p)
    if (best < 0 || c < bestCost) {
      best = p
      bestCost = c
    }
  }
  return best
}

/** Whether `idx` is among the first `k` draws in `scratch`. */
export function drawn(scratch: Int32Array, k: number, idx: number): boolean {
  for (let j = 0; j < k; j++) if (scratch[j] === idx) return true
  return false
}
