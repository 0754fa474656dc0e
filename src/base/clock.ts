/** A handle for a scheduled callback, cancellable through the clock that made it. */
export interface TimerHandle {
  readonly id: number
}

/** Time and timers, injected so tests can drive them (see FakeClock). */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number
  /** High-resolution monotonic time in nanoseconds, for durations. */
  hrtime(): bigint
  setTimeout(fn: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle | undefined): void
  setInterval(fn: () => void, ms: number): TimerHandle
  clearInterval(handle: TimerHandle | undefined): void
  /** Resolves after ms, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/** The wall clock and Node's timers; unref'd so a pending timer never keeps a process alive. */
export class RealClock implements Clock {
  private next = 1
  private readonly timers = new Map<number, NodeJS.Timeout>()

  now(): number {
    return Date.now()
  }

  hrtime(): bigint {
    return process.hrtime.bigint()
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.next++
    const t = setTimeout(() => {
      this.timers.delete(id)
      fn()
    }, ms)
    t.unref()
    this.timers.set(id, t)
    return { id }
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return
    const t = this.timers.get(handle.id)
    if (t) clearTimeout(t)
    this.timers.delete(handle.id)
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const id = this.next++
    const t = setInterval(fn, ms)
    t.unref()
    this.timers.set(id, t)
    return { id }
  }

  clearInterval(handle: TimerHandle | undefined): void {
    if (!handle) return
    const t = this.timers.get(handle.id)
    if (t) clearInterval(t)
    this.timers.delete(handle.id)
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal)
  }
}

/** A clock that only moves when told to; timers fire in due order during advance(). */
export class FakeClock implements Clock {
  private current: number
  private next = 1
  private readonly pending = new Map<number, { at: number; fn: () => void; every?: number }>()

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start
  }

  now(): number {
    return this.current
  }

  hrtime(): bigint {
    return BigInt(this.current) * 1_000_000n
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.next++
    this.pending.set(id, { at: this.current + Math.max(0, ms), fn })
    return { id }
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.pending.delete(handle.id)
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const id = this.next++
    const every = Math.max(1, ms)
    this.pending.set(id, { at: this.current + every, fn, every })
    return { id }
  }

  clearInterval(handle: TimerHandle | undefined): void {
    this.clearTimeout(handle)
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal)
  }

  /** Number of timers not yet fired. */
  get pendingCount(): number {
    return this.pending.size
  }

  /** Moves time forward by ms, firing every timer that falls due, earliest first. */
  advance(ms: number): void {
    const target = this.current + ms
    for (;;) {
      let dueId: number | undefined
      let dueAt = Infinity
      for (const [id, t] of this.pending) {
        if (t.at <= target && t.at < dueAt) {
          dueAt = t.at
          dueId = id
        }
      }
      if (dueId === undefined) break
      const t = this.pending.get(dueId)!
      this.current = t.at
      if (t.every) t.at += t.every
      else this.pending.delete(dueId)
      t.fn()
    }
    this.current = target
  }
}

function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = (): void => {
      clock.clearTimeout(handle)
      reject(signal?.reason)
    }
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** The process-wide real clock, for production wiring in server.ts files. */
export const realClock: Clock = new RealClock()
