// The sync loop's pacing: runs a function as soon as it is asked, but never more than `burst`
// times within `minInterval`, at least once every `maxInterval`, and never concurrently.
// upstream: pkg/util/async/bounded_frequency_runner.go (now k8s.io/utils/async)
import { EventEmitter } from 'node:events'
import type { Clock, TimerHandle } from '../../base/clock.js'

/** How a BoundedFrequencyRunner paces its function. */
export interface BoundedFrequencyRunnerOptions {
  /** Name for logs. */
  name: string
  /** The work; a rejection is reported as a 'failed' event and does not stop the runner. */
  fn: () => Promise<void>
  /** `--iptables-min-sync-period` (upstream default 1 s). */
  minIntervalMs: number
  /** `--iptables-sync-period` / the periodic run (upstream kube-proxy passes 1 h; the retry uses the sync period). */
  maxIntervalMs: number
  /** Runs allowed back to back before minInterval applies (upstream kube-proxy uses 2). */
  burst?: number
  clock: Clock
}

/**
 * Token-bucket paced runner on an injected clock. Events: 'ran' after each run (resolved or not),
 * 'failed' (err) when fn rejected.
 */
export class BoundedFrequencyRunner extends EventEmitter {
  private readonly burst: number
  private tokens: number
  private lastRefill: number
  private running = false
  private pending = false
  private started = false
  private timer: TimerHandle | undefined
  private timerAt = Infinity

  constructor(private readonly o: BoundedFrequencyRunnerOptions) {
    super()
    this.burst = Math.max(1, o.burst ?? 2)
    this.tokens = this.burst
    this.lastRefill = o.clock.now()
  }

  /** Starts the periodic schedule (the first run happens on the first run() or after maxInterval). */
  start(): void {
    if (this.started) return
    this.started = true
    this.schedule(this.o.maxIntervalMs)
  }

  /** Stops all timers; a run in progress finishes. */
  stop(): void {
    this.started = false
    this.o.clock.clearTimeout(this.timer)
    this.timer = undefined
    this.timerAt = Infinity
  }

  /** Asks for a run as soon as the rate limit allows (runs requested while one is running fold into one). */
  run(): void {
    if (!this.started) return
    if (this.running) {
      this.pending = true
      return
    }
    this.refill()
    if (this.tokens >= 1) {
      this.tokens -= 1
      void this.execute()
      return
    }
    // upstream: the runner waits until a token is available rather than dropping the request.
    this.schedule(Math.ceil((1 - this.tokens) * this.o.minIntervalMs))
  }

  /** Schedules a run no later than `ms` from now (upstream RetryAfter, used after a failed sync). */
  retryAfter(ms: number): void {
    if (!this.started) return
    this.schedule(ms)
  }

  private refill(): void {
    const now = this.o.clock.now()
    const elapsed = now - this.lastRefill
    this.lastRefill = now
    this.tokens = Math.min(this.burst, this.tokens + (this.o.minIntervalMs > 0 ? elapsed / this.o.minIntervalMs : this.burst))
  }

  /** Arms the single timer for `ms` from now unless it is already due sooner. */
  private schedule(ms: number): void {
    const at = this.o.clock.now() + ms
    if (this.timer !== undefined && this.timerAt <= at) return
    this.o.clock.clearTimeout(this.timer)
    this.timerAt = at
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = undefined
      this.timerAt = Infinity
      this.refill()
      // A timer-driven run also spends a token, so bursts stay bounded.
      this.tokens = Math.max(0, this.tokens - 1)
      if (this.running) this.pending = true
      else void this.execute()
    }, Math.max(0, ms))
  }

  private async execute(): Promise<void> {
    this.running = true
    try {
      await this.o.fn()
    } catch (e) {
      this.emit('failed', e)
    } finally {
      this.running = false
    }
    if (this.started) this.schedule(this.o.maxIntervalMs)
    this.emit('ran')
    if (this.pending && this.started) {
      this.pending = false
      this.run()
    }
  }
}
