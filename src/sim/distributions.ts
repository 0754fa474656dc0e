// Service-time and think-time samplers: plain functions of the injected Rng, no allocation per draw.
import type { Rng } from '../base/rng.js'

/** A service or think time distribution as the scenario names it. */
export type Distribution =
  | { distribution: 'exponential'; mean: number }
  | { distribution: 'fixed'; value: number }
  | { distribution: 'lognormal'; mean: number; sigma: number }
  | { distribution: 'pareto'; mean: number; alpha: number }
  | { distribution: 'infinite' }

/** A sampler: each call returns one draw (Infinity for `infinite`). */
export type Sampler = () => number

/** Builds a sampler of `d` over `rng`; every draw consumes the same number of uniforms, for reproducibility. */
export function makeSampler(d: Distribution, rng: Rng): Sampler {
  switch (d.distribution) {
    case 'exponential': {
      const mean = d.mean
      // 1 − u is in (0, 1], so the log is finite.
      return () => -mean * Math.log(1 - rng())
    }
    case 'fixed': {
      const v = d.value
      return () => v
    }
    case 'lognormal': {
      // Parameterised by its mean: E[X] = exp(mu + sigma²/2).
      const sigma = d.sigma
      const mu = Math.log(d.mean) - (sigma * sigma) / 2
      return () => {
        // Box–Muller, one normal per two uniforms (the second is dropped to keep the stream simple).
        const u1 = 1 - rng()
        const u2 = rng()
        const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)
        return Math.exp(mu + sigma * z)
      }
    }
    case 'pareto': {
      // Type I with shape alpha > 1, scale chosen so that the mean is d.mean: xm = mean·(alpha−1)/alpha.
      const alpha = d.alpha
      const xm = (d.mean * (alpha - 1)) / alpha
      return () => xm / Math.pow(1 - rng(), 1 / alpha)
    }
    case 'infinite':
      return () => Infinity
  }
}

/** The mean of `d` (Infinity for `infinite`). */
export function meanOf(d: Distribution): number {
  switch (d.distribution) {
    case 'fixed':
      return d.value
    case 'infinite':
      return Infinity
    default:
      return d.mean
  }
}
