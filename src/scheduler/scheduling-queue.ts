// The scheduler's queue: an active FIFO of pod keys, and the pods found unschedulable, which go back
// to the active queue after their backoff once the cluster changed (a node came or changed, a pod left).
// upstream: pkg/scheduler/backend/queue/scheduling_queue.go (activeQ, backoffQ, unschedulablePods,
//           MoveAllToActiveOrBackoffQueue)
import type { Clock, TimerHandle } from '../base/clock.js'

/** Options of a SchedulingQueue (upstream defaults: backoff 1 s doubling to 10 s). */
export interface SchedulingQueueOptions {
  clock: Clock
  initialBackoffMs?: number
  maxBackoffMs?: number
  /** Unschedulable pods are retried at least this often even with no cluster event (upstream 5 min). */
  maxUnschedulableMs?: number
}

/** Active queue + backoff + unschedulable pods, on an injected clock; pop() waits, never polls. */
export class SchedulingQueue {
  private readonly active = new Set<string>()
  private readonly attempts = new Map<string, number>()
  private readonly unschedulable = new Map<string, number>()
  private readonly timers = new Map<string, TimerHandle>()
  private waiter?: (key: string | undefined) => void
  private closed = false
  private flushTimer?: TimerHandle

  constructor(private readonly opts: SchedulingQueueOptions) {
    const every = opts.maxUnschedulableMs ?? 300_000
    this.flushTimer = opts.clock.setInterval(() => this.moveAllToActive(), every)
  }

  /** Queues a pod to be scheduled now (a new pod, or its spec changed). */
  add(key: string): void {
    if (this.closed) return
    this.unschedulable.delete(key)
    this.clearTimer(key)
    if (this.waiter) {
      const w = this.waiter
      this.waiter = undefined
      w(key)
      return
    }
    this.active.add(key)
  }

  /** Next pod key; waits for one; undefined after close(). */
  pop(): Promise<string | undefined> {
    for (const key of this.active) {
      this.active.delete(key)
      return Promise.resolve(key)
    }
    if (this.closed) return Promise.resolve(undefined)
    return new Promise((resolve) => (this.waiter = resolve))
  }

  /** Parks a pod that did not fit (or failed to bind) until the next cluster event after its backoff. */
  addUnschedulable(key: string): number {
    const n = (this.attempts.get(key) ?? 0) + 1
    this.attempts.set(key, n)
    const backoff = this.backoffFor(n)
    this.unschedulable.set(key, this.opts.clock.now() + backoff)
    return backoff
  }

  /** Retries a pod after its backoff whatever happens (bind errors). */
  addBackoff(key: string): void {
    const until = this.opts.clock.now() + this.backoffFor((this.attempts.get(key) ?? 0) + 1)
    this.attempts.set(key, (this.attempts.get(key) ?? 0) + 1)
    this.schedule(key, until)
  }

  /** The cluster changed: every unschedulable pod goes back once its backoff has passed. */
  moveAllToActive(): void {
    for (const [key, until] of this.unschedulable) this.schedule(key, until)
    this.unschedulable.clear()
  }

  /** Forgets a pod (deleted or bound). */
  delete(key: string): void {
    this.active.delete(key)
    this.unschedulable.delete(key)
    this.attempts.delete(key)
    this.clearTimer(key)
  }

  /** Pods waiting as unschedulable (for tests and metrics). */
  get unschedulableCount(): number {
    return this.unschedulable.size
  }

  /** Pods in the active queue. */
  get activeCount(): number {
    return this.active.size
  }

  /** Stops: pop() resolves undefined, timers are cleared. */
  close(): void {
    this.closed = true
    this.opts.clock.clearInterval(this.flushTimer)
    for (const t of this.timers.values()) this.opts.clock.clearTimeout(t)
    this.timers.clear()
    const w = this.waiter
    this.waiter = undefined
    w?.(undefined)
  }

  private backoffFor(attempt: number): number {
    const init = this.opts.initialBackoffMs ?? 1000
    return Math.min(init * 2 ** (attempt - 1), this.opts.maxBackoffMs ?? 10_000)
  }

  private schedule(key: string, until: number): void {
    const wait = until - this.opts.clock.now()
    if (wait <= 0) return this.add(key)
    if (this.timers.has(key)) return
    this.timers.set(
      key,
      this.opts.clock.setTimeout(() => {
        this.timers.delete(key)
        this.add(key)
      }, wait),
    )
  }

  private clearTimer(key: string): void {
    const t = this.timers.get(key)
    if (t) this.opts.clock.clearTimeout(t)
    this.timers.delete(key)
  }
}
