// A rate-limited, deduplicating work queue of string keys on an injected clock, as client-go's
// workqueue: a key queued twice is processed once; a key re-added while being processed is queued
// again when done(); failed keys come back after a per-key exponential backoff.
// upstream: client-go/util/workqueue/queue.go, delaying_queue.go, default_rate_limiters.go
import type { Clock, TimerHandle } from '../base/clock.js'

/** Options of a WorkQueue. */
export interface WorkQueueOptions {
  clock: Clock
  /** First retry delay of a failing key (default 5 ms, as upstream's ItemExponentialFailureRateLimiter). */
  baseDelayMs?: number
  /** Largest retry delay (default 1000 s upstream; kplab uses 60 s). */
  maxDelayMs?: number
}

/** A deduplicating FIFO of keys with delayed and rate-limited adds; get() waits, never polls. */
export class WorkQueue {
  private readonly queue: string[] = []
  private head = 0
  private readonly dirty = new Set<string>()
  private readonly processing = new Set<string>()
  private readonly failures = new Map<string, number>()
  private readonly delayed = new Map<string, { at: number; timer: TimerHandle }>()
  private waiters: ((key: string | undefined) => void)[] = []
  private shuttingDown = false

  constructor(private readonly opts: WorkQueueOptions) {}

  /** Queues key unless it is already queued; a key being processed is queued again after done(). */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return
    this.dirty.add(key)
    if (this.processing.has(key)) return
    const w = this.waiters.shift()
    if (w) {
      this.dirty.delete(key)
      this.processing.add(key)
      w(key)
      return
    }
    this.queue.push(key)
  }

  /** Queues key after ms; an earlier pending delayed add of the same key wins. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return
    if (ms <= 0) return this.add(key)
    const at = this.opts.clock.now() + ms
    const cur = this.delayed.get(key)
    if (cur && cur.at <= at) return
    if (cur) this.opts.clock.clearTimeout(cur.timer)
    const timer = this.opts.clock.setTimeout(() => {
      this.delayed.delete(key)
      this.add(key)
    }, ms)
    this.delayed.set(key, { at, timer })
  }

  /** Queues key after its backoff: base · 2^failures, capped; returns the delay used. */
  addRateLimited(key: string): number {
    const n = this.failures.get(key) ?? 0
    this.failures.set(key, n + 1)
    const delay = Math.min((this.opts.baseDelayMs ?? 5) * 2 ** n, this.opts.maxDelayMs ?? 60_000)
    this.addAfter(key, delay)
    return delay
  }

  /** Clears key's failure count (call after a successful sync). */
  forget(key: string): void {
    this.failures.delete(key)
  }

  /** How many times key failed since the last forget(). */
  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0
  }

  /** Next key to process, waiting for one; undefined once shut down. Call done(key) after. */
  get(): Promise<string | undefined> {
    if (this.head < this.queue.length) {
      const key = this.queue[this.head++]!
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head)
        this.head = 0
      }
      this.dirty.delete(key)
      this.processing.add(key)
      return Promise.resolve(key)
    }
    if (this.shuttingDown) return Promise.resolve(undefined)
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  /** Marks key processed; if it was re-added meanwhile it is queued again. */
  done(key: string): void {
    this.processing.delete(key)
    if (this.dirty.has(key)) {
      this.dirty.delete(key)
      this.add(key)
    }
  }

  /** Number of keys waiting (not processing, not delayed). */
  get length(): number {
    return this.queue.length - this.head
  }

  /** Stops the queue: pending get() calls resolve undefined, delayed adds are dropped. */
  shutDown(): void {
    this.shuttingDown = true
    for (const d of this.delayed.values()) this.opts.clock.clearTimeout(d.timer)
    this.delayed.clear()
    for (const w of this.waiters.splice(0)) w(undefined)
  }
}

/** Runs `workers` loops taking keys from queue and calling sync; failures are retried with backoff. */
export async function runWorkers(
  queue: WorkQueue,
  sync: (key: string) => Promise<void>,
  opts: { workers?: number; onError?: (key: string, err: unknown) => void } = {},
): Promise<void> {
  const loop = async (): Promise<void> => {
    for (;;) {
      const key = await queue.get()
      if (key === undefined) return
      try {
        await sync(key)
        queue.forget(key)
      } catch (err) {
        opts.onError?.(key, err)
        queue.addRateLimited(key)
      } finally {
        queue.done(key)
      }
    }
  }
  await Promise.all(Array.from({ length: opts.workers ?? 1 }, loop))
}
