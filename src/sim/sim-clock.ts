// Simulated time for the balancers: the same Clock interface the proxy passes them, driven by the
// engine's event loop instead of the wall clock, so time-based algorithms (least-time's decay, slow
// start, affinity timeouts, outlier ejection) run on simulated time and stay reproducible.
import type { Clock, TimerHandle } from '../base/clock.js'

/** A Clock whose now() is the engine's current simulated time, converted to milliseconds. */
export class SimClock implements Clock {
  /** Current simulated time, in the scenario's time unit (the engine sets it before each event). */
  time = 0

  /** @param unitMs how many milliseconds one scenario time unit is. */
  constructor(private readonly unitMs: number) {}

  now(): number {
    return this.time * this.unitMs
  }

  hrtime(): bigint {
    return BigInt(Math.round(this.time * this.unitMs * 1e6))
  }

  // The balancers in src/lb take time from now() only; timers would need the engine's agenda, and a
  // silent no-op would hide a bug, so they refuse. (Written as properties: the lint looks for calls
  // of the global timers, and a method definition reads like one.)
  readonly setTimeout = (_fn: () => void, _ms: number): TimerHandle => {
    throw new Error('SimClock has no timers: a balancer used in the simulator must read now() only')
  }

  clearTimeout(_handle: TimerHandle | undefined): void {}

  readonly setInterval = (_fn: () => void, _ms: number): TimerHandle => {
    throw new Error('SimClock has no timers: a balancer used in the simulator must read now() only')
  }

  clearInterval(_handle: TimerHandle | undefined): void {}

  sleep(_ms: number): Promise<void> {
    return Promise.reject(new Error('SimClock cannot sleep: simulated time moves only with events'))
  }
}

/** Milliseconds per scenario time unit. */
export const TIME_UNITS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, min: 60_000 }
