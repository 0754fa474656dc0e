// Pools of request and connection slots: struct-of-arrays indexed by integer, with a free list, so the
// hot loop allocates nothing per request. A pool doubles only when more slots are in use at once than
// ever before, so memory follows the peak number in flight.

function grownF64(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(n)
  b.set(a)
  return b
}

function grownI32(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n)
  b.set(a)
  return b
}

/** Requests in flight: arrival time, service demand, serial number, backend, connection, state, queue link. */
export class RequestPool {
  arrive: Float64Array
  demand: Float64Array
  serial: Float64Array
  backend: Int32Array
  conn: Int32Array
  /** 0 when the slot is free; the engine's own codes otherwise. */
  state: Int32Array
  /** Next request in the backend's FIFO queue, or in the free list. */
  next: Int32Array
  /** Slots ever handed out: every live slot is below this. */
  highWater = 0
  private freeHead = -1

  constructor(capacity = 1024) {
    this.arrive = new Float64Array(capacity)
    this.demand = new Float64Array(capacity)
    this.serial = new Float64Array(capacity)
    this.backend = new Int32Array(capacity)
    this.conn = new Int32Array(capacity)
    this.state = new Int32Array(capacity)
    this.next = new Int32Array(capacity)
  }

  /** Number of slots allocated (the pool's memory, in slots). */
  get capacity(): number {
    return this.arrive.length
  }

  /** A free slot's index. */
  alloc(): number {
    const f = this.freeHead
    if (f >= 0) {
      this.freeHead = this.next[f]!
      return f
    }
    if (this.highWater === this.arrive.length) this.grow()
    return this.highWater++
  }

  /** Returns slot i to the pool. */
  free(i: number): void {
    this.state[i] = 0
    this.next[i] = this.freeHead
    this.freeHead = i
  }

  private grow(): void {
    const n = this.arrive.length * 2
    this.arrive = grownF64(this.arrive, n)
    this.demand = grownF64(this.demand, n)
    this.serial = grownF64(this.serial, n)
    this.backend = grownI32(this.backend, n)
    this.conn = grownI32(this.conn, n)
    this.state = grownI32(this.state, n)
    this.next = grownI32(this.next, n)
  }
}

/** Open connections: client, requests left, pinned backend (per-connection balancing), whether it broke. */
export class ConnectionPool {
  client: Int32Array
  left: Int32Array
  backend: Int32Array
  failed: Int32Array
  /** Free-list link. */
  next: Int32Array
  private highWater = 0
  private freeHead = -1

  constructor(capacity = 1024) {
    this.client = new Int32Array(capacity)
    this.left = new Int32Array(capacity)
    this.backend = new Int32Array(capacity)
    this.failed = new Int32Array(capacity)
    this.next = new Int32Array(capacity)
  }

  /** Number of slots allocated. */
  get capacity(): number {
    return this.client.length
  }

  /** A free slot's index. */
  alloc(): number {
    const f = this.freeHead
    if (f >= 0) {
      this.freeHead = this.next[f]!
      return f
    }
    if (this.highWater === this.client.length) this.grow()
    return this.highWater++
  }

  /** Returns slot i to the pool. */
  free(i: number): void {
    this.next[i] = this.freeHead
    this.freeHead = i
  }

  private grow(): void {
    const n = this.client.length * 2
    this.client = grownI32(this.client, n)
    this.left = grownI32(this.left, n)
    this.backend = grownI32(this.backend, n)
    this.failed = grownI32(this.failed, n)
    this.next = grownI32(this.next, n)
  }
}
