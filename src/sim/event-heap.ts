// The simulator's agenda: a binary min-heap of (time, payload) pairs on typed arrays, so scheduling
// an event allocates nothing (the arrays double only when more events are pending than ever before).

/**
 * A min-heap of events keyed by time, O(log n) push and pop. Equal times pop in an order fixed by
 * the sequence of operations, so a run is reproducible bit for bit.
 */
export class EventHeap {
  private times: Float64Array
  private payloads: Int32Array
  private n = 0

  constructor(capacity = 1024) {
    this.times = new Float64Array(Math.max(2, capacity))
    this.payloads = new Int32Array(Math.max(2, capacity))
  }

  /** Number of pending events. */
  get size(): number {
    return this.n
  }

  /** Time of the earliest event (Infinity when empty). */
  peekTime(): number {
    return this.n > 0 ? this.times[0]! : Infinity
  }

  /** Payload of the earliest event (-1 when empty). */
  peekPayload(): number {
    return this.n > 0 ? this.payloads[0]! : -1
  }

  /** Schedules `payload` (a non-negative int32) at `time`. */
  push(time: number, payload: number): void {
    if (this.n === this.times.length) this.grow()
    const times = this.times
    const payloads = this.payloads
    let i = this.n++
    while (i > 0) {
      const parent = (i - 1) >> 1
      const pt = times[parent]!
      if (pt <= time) break
      times[i] = pt
      payloads[i] = payloads[parent]!
      i = parent
    }
    times[i] = time
    payloads[i] = payload
  }

  /** Removes the earliest event and returns its payload (read its time with peekTime first); -1 when empty. */
  pop(): number {
    if (this.n === 0) return -1
    const times = this.times
    const payloads = this.payloads
    const top = payloads[0]!
    const n = --this.n
    if (n === 0) return top
    const t = times[n]!
    const p = payloads[n]!
    let i = 0
    for (;;) {
      let c = 2 * i + 1
      if (c >= n) break
      const r = c + 1
      if (r < n && times[r]! < times[c]!) c = r
      if (times[c]! >= t) break
      times[i] = times[c]!
      payloads[i] = payloads[c]!
      i = c
    }
    times[i] = t
    payloads[i] = p
    return top
  }

  /** Drops every pending event, keeping the arrays. */
  clear(): void {
    this.n = 0
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2)
    times.set(this.times)
    const payloads = new Int32Array(this.payloads.length * 2)
    payloads.set(this.payloads)
    this.times = times
    this.payloads = payloads
  }
}
