// The hot half of the discrete-event engine: requests and connections live in pools of typed arrays
// indexed by integer (no object per request), events in a typed-array heap, response times in a
// fixed-size histogram, so memory follows the requests in flight, not the run's length.
import { fastRng } from '../base/rng.js'
import type { Balancer, Outcome, PickContext } from '../lb/balancer.js'
import type { EndpointIds } from '../lb/endpoint-set.js'
import { createBalancer, findAlgorithm } from '../lb/registry.js'
import { backendColumns, type BackendEventAt } from './backend-columns.js'
import { makeSampler, type Sampler } from './distributions.js'
import { EventHeap } from './event-heap.js'
import { LogHistogram } from './histogram.js'
import { IptablesCascadeBalancer } from './iptables-cascade.js'
import type { AlgorithmReport } from './report/types.js'
import type { AlgorithmSpec, Scenario } from './scenario.js'
import { SimClock } from './sim-clock.js'
import { ConnectionPool, RequestPool } from './slot-pool.js'
// Event kinds, in the low 3 bits of a heap payload; the rest is a slot or event index.
/** Event kind: an open-workload connection arrives. */
export const ARRIVAL = 0
/** Event kind: a request finishes service. */
export const DEPART = 1
/** Event kind: a closed-loop client ends its think time. */
export const THINK = 2
/** Event kind: a backend goes down, up or slow. */
export const BACKEND = 3
/** Event kind: the balancer learns the current endpoint list. */
export const SYNC = 4

// Request states.
/** Request state: waiting in its backend's FIFO queue. */
export const QUEUED = 1
/** Request state: in service. */
export const SERVING = 2
/** In service at a backend that went down: already counted as failed, freed when its departure fires. */
export const DEAD = 3

/** Options of runAlgorithm. */
export interface RunOptions {
  /** Called every 65536 issued requests with (issued, total). */
  onProgress?: (issued: number, total: number) => void
  /** Points of the load-over-time curve (default 200). */
  samplePoints?: number
}

/** Builds the balancer an algorithm spec names, over the simulated clock and a seeded rng. */
export function buildBalancer(spec: AlgorithmSpec, seed: number, clock: SimClock): Balancer {
  const rng = fastRng(`${seed}/lb`)
  if (spec.name === 'iptables') return new IptablesCascadeBalancer(rng)
  return createBalancer(spec.name, spec.params, { rng, clock })
}

/**
 * The request flow of a run: arrivals, connections, picks, queues, departures. Backend membership
 * (failures, the endpoint list) and the summary live in the Engine subclass (engine.ts).
 */
export abstract class EngineCore {
  protected readonly clock: SimClock
  protected readonly balancer: Balancer
  protected readonly heap = new EventHeap()
  protected readonly hist = new LogHistogram()
  protected readonly outcome: Outcome = { ok: true, durationMs: 0 }
  protected readonly perRequest: boolean
  protected readonly closed: boolean
  protected readonly infinite: boolean
  protected readonly service: Sampler
  protected readonly think: Sampler
  protected readonly arrivalRng: () => number
  protected readonly clientRng: () => number
  /** Whether a connection's client matters (hashing, affinity, remap counting); if not, no draw is spent on it. */
  protected readonly needsClient: boolean

  // Backends.
  protected readonly nb: number
  protected readonly ids: EndpointIds
  /** Backend weights, by backend index (the balancer's endpoint positions are backend indices). */
  protected readonly weights: Float64Array
  /** Whether requests are kept in slots: not when service is infinite and no backend fails, as nothing ever reads them. */
  protected readonly keepRequests: boolean
  /** Requests issued in total, and per connection (copied out of the scenario for the hot loop). */
  protected readonly requests: number
  protected readonly perConnection: number
  protected readonly load: Int32Array
  protected readonly busy: Int32Array
  protected readonly capacity: Float64Array
  protected readonly speed: Float64Array
  protected readonly up: Uint8Array
  /** What the balancer was last told: 1 for a backend in its list as ready. */
  protected readonly listed: Uint8Array
  protected readonly qHead: Int32Array
  protected readonly qTail: Int32Array
  protected readonly assigned: Float64Array
  protected readonly events: readonly BackendEventAt[]

  protected readonly req = new RequestPool()
  protected readonly conn = new ConnectionPool()

  // Clients.
  protected readonly contexts: PickContext[]
  protected readonly lastBackend: Int32Array
  protected readonly lastEpoch: Int32Array
  protected epoch = 0

  // Counters.
  protected now = 0
  protected reserved = 0
  protected issued = 0
  protected completed = 0
  protected failed = 0
  protected remapped = 0
  protected work = 0
  protected totalLoad = 0
  protected maxLoad = 0
  protected loadArea = 0
  protected traceNext = 0
  /** Time of the pending Poisson arrival, kept out of the heap (Infinity when none). */
  protected nextArrival = Infinity

  // Load-over-time samples.
  protected readonly sampleEvery: number
  protected readonly samples: { time: number; mean: number; max: number }[] = []

  constructor(
    protected readonly scenario: Scenario,
    protected readonly spec: AlgorithmSpec,
    seed: number,
    protected readonly opts: RunOptions,
  ) {
    const w = scenario.workload
    this.clock = new SimClock(scenario.unitMs)
    this.balancer = buildBalancer(spec, seed, this.clock)
    this.perRequest = spec.unit === 'request'
    this.closed = w.arrivals.type === 'closed'
    this.infinite = w.service.distribution === 'infinite'
    this.service = makeSampler(w.service, fastRng(`${seed}/service`))
    this.think = makeSampler(w.arrivals.type === 'closed' ? w.arrivals.think : { distribution: 'fixed', value: 1 }, fastRng(`${seed}/think`))
    this.arrivalRng = fastRng(`${seed}/arrivals`)
    this.clientRng = fastRng(`${seed}/clients`)
    const nb = (this.nb = scenario.backends.length)
    const cols = backendColumns(scenario)
    this.events = cols.events
    this.needsClient = spec.params.sessionAffinity !== undefined || (findAlgorithm(spec.name)?.hashed ?? false) || this.events.length > 0
    this.keepRequests = !this.infinite || this.events.length > 0
    // Per-backend queue state only when requests are kept (not for balls into bins, where a
    // million backends would otherwise cost five unused arrays per run).
    const nq = this.keepRequests ? nb : 0
    this.ids = cols.ids
    this.weights = cols.weights
    this.requests = w.requests
    this.perConnection = w.requestsPerConnection
    this.load = new Int32Array(nb)
    this.busy = new Int32Array(nq)
    this.capacity = cols.capacity
    // Copied: slow events change a run's speeds.
    this.speed = this.keepRequests ? cols.speed.slice() : cols.speed
    this.up = new Uint8Array(nb).fill(1)
    this.listed = new Uint8Array(nb)
    this.qHead = new Int32Array(nq).fill(-1)
    this.qTail = new Int32Array(nq).fill(-1)
    this.assigned = new Float64Array(nq)
    this.contexts = w.clients.map((ip) => ({ clientIP: ip }))
    this.lastBackend = new Int32Array(w.clients.length).fill(-1)
    this.lastEpoch = new Int32Array(w.clients.length)
    this.sampleEvery = Math.max(1, Math.floor(w.requests / (opts.samplePoints ?? 200)))
  }

  run(): AlgorithmReport {
    const w = this.scenario.workload
    this.sync()
    this.events.forEach((e, i) => this.heap.push(e.at, (i << 3) | BACKEND))
    if (w.arrivals.type === 'closed') {
      // Each closed-loop client owns connection slot i for the whole run and starts after one think time.
      for (let c = 0; c < w.arrivals.clients && this.reserved < w.requests; c++) {
        const k = this.conn.alloc()
        this.conn.client[k] = c % w.clients.length
        this.conn.left[k] = 0
        this.schedule(this.think(), (k << 3) | THINK)
      }
    } else {
      this.scheduleArrival()
    }
    const heap = this.heap
    const requests = this.requests
    while (heap.size > 0 || this.nextArrival !== Infinity) {
      if (this.work === 0 && this.reserved === requests) break
      const t = heap.peekTime()
      // The pending Poisson arrival waits beside the heap, not in it: one push and pop fewer per
      // request. Times are continuous, so it never ties with an event in the heap in practice; on an
      // exact tie the heap goes first.
      if (this.nextArrival < t) {
        this.advance(this.nextArrival)
        this.nextArrival = Infinity
        this.arrive()
        continue
      }
      const payload = heap.pop()
      this.advance(t)
      const kind = payload & 7
      const idx = payload >> 3
      if (kind === DEPART) this.depart(idx)
      else if (kind === ARRIVAL) this.arrive()
      else if (kind === THINK) this.wake(idx)
      else if (kind === BACKEND) this.backendEvent(idx)
      else this.sync()
    }
    return this.result()
  }

  protected schedule(at: number, payload: number): void {
    if ((payload & 7) !== BACKEND && (payload & 7) !== SYNC) this.work++
    this.heap.push(at, payload)
  }

  protected advance(t: number): void {
    if (t > this.now) {
      this.loadArea += this.totalLoad * (t - this.now)
      this.now = t
      this.clock.time = t
    }
  }

  protected scheduleArrival(): void {
    const a = this.scenario.workload.arrivals
    if (this.reserved >= this.requests) return
    if (a.type === 'poisson') {
      // Connections arrive so that requests arrive at `rate` per backend per time unit.
      const rate = (a.rate * this.nb) / this.perConnection
      this.nextArrival = this.now - Math.log(1 - this.arrivalRng()) / rate
      this.work++
    } else if (a.type === 'trace' && this.traceNext < a.times.length) {
      this.schedule(a.times[this.traceNext]!, ARRIVAL)
    }
  }

  protected arrive(): void {
    this.work--
    const w = this.scenario.workload
    let client: number
    const a = w.arrivals
    if (a.type === 'trace' && a.clients[this.traceNext]! >= 0) client = a.clients[this.traceNext]! % w.clients.length
    else client = this.needsClient ? Math.floor(this.clientRng() * w.clients.length) : 0
    this.traceNext++
    const k = this.conn.alloc()
    this.conn.client[k] = client
    this.open(k)
    this.scheduleArrival()
  }

  /** Opens connection k: takes its requests from the budget, picks its backend if balancing per connection. */
  protected open(k: number): void {
    const left = Math.min(this.perConnection, this.requests - this.reserved)
    this.reserved += left
    const ci = this.conn
    ci.left[k] = left
    ci.failed[k] = 0
    ci.backend[k] = -1
    if (!this.perRequest) {
      const b = this.pick(ci.client[k]!)
      ci.backend[k] = b
      if (b >= 0) this.balancer.onStartIndex(b)
    }
    this.next(k)
  }

  /** Issues connection k's next request; requests that fail at once are counted and the loop goes on. */
  protected next(k: number): void {
    const ci = this.conn
    while (ci.left[k]! > 0) {
      const b = this.perRequest ? this.pick(ci.client[k]!) : ci.backend[k]!
      const serial = this.issued++
      if ((serial & 0xffff) === 0 && this.opts.onProgress) this.opts.onProgress(serial, this.requests)
      if (serial % this.sampleEvery === 0) this.sample()
      const demand = this.service()
      // Without backend events every backend stays up: no need to read (and miss the cache on) up[b].
      if (b >= 0 && (this.keepRequests ? this.up[b] === 1 : true)) {
        this.accept(k, b, demand, serial)
        return
      }
      // No endpoint, or one that is down but still in the balancer's list: the request fails at once.
      this.failed++
      if (b >= 0 && this.perRequest) {
        this.balancer.onStartIndex(b)
        this.finish(b, false, 0)
      }
      if (!this.perRequest) {
        // A broken L4 connection loses the rest of its requests.
        this.failed += ci.left[k]! - 1
        ci.left[k] = 0
        ci.failed[k] = 1
        break
      }
      ci.left[k]!--
      if (this.closed && ci.left[k]! > 0) {
        this.schedule(this.now + this.think(), (k << 3) | THINK)
        return
      }
    }
    this.close(k)
  }

  protected accept(k: number, b: number, demand: number, serial: number): void {
    if (this.perRequest) this.balancer.onStartIndex(b)
    const l = ++this.load[b]!
    this.totalLoad++
    if (l > this.maxLoad) this.maxLoad = l
    if (!this.keepRequests) {
      // Balls into bins: the request stays forever and nothing will look at it again, so it needs
      // no slot, and an open-loop connection (whose next request would wait forever) none either.
      // Nothing leaves or fails either, so load[b] is also the count assigned to b (see assignedCounts).
      if (!this.closed) this.conn.free(k)
      return
    }
    this.assigned[b]!++
    const r = this.req.alloc()
    const rf = this.req
    rf.arrive[r] = this.now
    rf.demand[r] = demand
    rf.serial[r] = serial
    rf.backend[r] = b
    rf.conn[r] = k
    if (this.busy[b]! < this.capacity[b]!) {
      this.start(r, b)
    } else {
      rf.state[r] = QUEUED
      rf.next[r] = -1
      if (this.qTail[b]! >= 0) rf.next[this.qTail[b]!] = r
      else this.qHead[b] = r
      this.qTail[b] = r
    }
  }

  protected start(r: number, b: number): void {
    this.busy[b]!++
    this.req.state[r] = SERVING
    const demand = this.req.demand[r]!
    // An infinite demand never departs: the request stays, as a ball stays in its bin.
    if (demand !== Infinity) this.schedule(this.now + demand / this.speed[b]!, (r << 3) | DEPART)
  }

  protected depart(r: number): void {
    this.work--
    const ri = this.req
    if (ri.state[r] === DEAD) {
      this.req.free(r)
      return
    }
    const b = ri.backend[r]!
    const k = ri.conn[r]!
    const rt = this.now - this.req.arrive[r]!
    if (this.req.serial[r]! >= this.scenario.workload.warmup) this.hist.record(rt)
    this.completed++
    this.busy[b]!--
    this.load[b]!--
    this.totalLoad--
    this.req.free(r)
    if (this.perRequest) this.finish(b, true, rt)
    const q = this.qHead[b]!
    if (q >= 0) {
      this.qHead[b] = ri.next[q]!
      if (this.qHead[b]! < 0) this.qTail[b] = -1
      this.start(q, b)
    }
    this.after(k)
  }

  /** A request of connection k ended: the next one follows at once (open) or after a think time (closed). */
  protected after(k: number): void {
    const ci = this.conn
    if (--ci.left[k]! > 0) {
      if (this.closed) this.schedule(this.now + this.think(), (k << 3) | THINK)
      else this.next(k)
      return
    }
    this.close(k)
  }

  protected close(k: number): void {
    const ci = this.conn
    const b = ci.backend[k]!
    if (!this.perRequest && b >= 0) this.finish(b, ci.failed[k] === 0, 0)
    ci.backend[k] = -1
    if (this.closed) {
      if (this.reserved < this.requests) this.schedule(this.now + this.think(), (k << 3) | THINK)
    } else {
      this.conn.free(k)
    }
  }

  /** A closed-loop client wakes up: a new connection, or the next request on its open one. */
  protected wake(k: number): void {
    this.work--
    if (this.conn.left[k] === 0) this.open(k)
    else this.next(k)
  }

  protected pick(client: number): number {
    // Endpoint positions are backend indices: the balancer's list is the scenario's backends, in order.
    const b = this.balancer.pickIndex(this.contexts[client])
    if (b < 0) return -1
    if (this.epoch > 0 && this.lastEpoch[client]! < this.epoch) {
      // First pick for this client since a backend left: did its mapping change?
      if (this.lastBackend[client]! >= 0 && this.lastBackend[client] !== b) this.remapped++
      this.lastEpoch[client] = this.epoch
    }
    this.lastBackend[client] = b
    return b
  }

  protected finish(b: number, ok: boolean, rt: number): void {
    this.outcome.ok = ok
    this.outcome.durationMs = rt * this.scenario.unitMs
    this.balancer.onFinishIndex(b, this.outcome)
  }

  /** Requests accepted per backend (in balls-into-bins mode the load, which only grows, is that count). */
  protected assignedCounts(): ArrayLike<number> {
    return this.keepRequests ? this.assigned : this.load
  }

  protected sample(): void {
    let max = 0
    if (this.infinite) {
      // Loads only grow without departures, so the running maximum is the current one.
      max = this.maxLoad
    } else {
      for (let b = 0; b < this.nb; b++) if (this.load[b]! > max) max = this.load[b]!
    }
    this.samples.push({ time: this.now, mean: this.totalLoad / this.nb, max })
  }

  protected abstract backendEvent(i: number): void
  protected abstract sync(): void
  protected abstract result(): AlgorithmReport
}
