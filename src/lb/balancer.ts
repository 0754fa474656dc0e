// The one contract every algorithm and every wrapper implements. Policy apart from mechanics:
// a Balancer only decides; the userspace proxy (src/proxy/userspace/) and the simulator (src/sim/)
// move bytes or simulated requests and report back through onStart/onFinish.
import type { Clock } from '../base/clock.js'
import type { Rng } from '../base/rng.js'
import type { EndpointIds } from './endpoint-set.js'
import type { ParamSpec, ParamValues } from './params.js'

/** One endpoint as the caller knows it: a stable id (e.g. `10.244.1.5:8080`), its weight and readiness. */
export interface EndpointSpec {
  /** Stable identity; state (active count, latency estimate, affinity) follows the id across updates. */
  id: string
  /** Relative weight, a finite number ≥ 0 (default 1); 0 takes no new traffic, like HAProxy's `weight 0`. */
  weight?: number
  /** False keeps the endpoint's state (its connections finish) but takes it out of picks (default true). */
  ready?: boolean
}

/**
 * The endpoint list in columns, for callers with many endpoints (the simulator's million): ids
 * once, weights and readiness by position. Passing the same `ids` object again means the same
 * endpoints in the same order, so an update is one O(n) pass with no id matching.
 */
export interface EndpointColumns {
  ids: EndpointIds
  /** Weight by position, finite and ≥ 0 (default 1 each). */
  weights?: ArrayLike<number>
  /** Readiness by position, 0 = not ready (default all ready). */
  ready?: ArrayLike<number>
}

/** What `update` takes: a list of specs (the proxy) or columns (the simulator). */
export type EndpointList = readonly EndpointSpec[] | EndpointColumns

/** What a pick may look at; both fields are optional and algorithms ignore what they do not use. */
export interface PickContext {
  /** The client's address (IPv4 dotted or IPv6 text), for ip-hash and ClientIP session affinity. */
  clientIP?: string
  /** An application key (header, cookie, path) for ring-hash and maglev; falls back to clientIP. */
  hashKey?: string
}

/** How a connection or request ended, reported through onFinish. */
export interface Outcome {
  /** False for a connect failure, reset or 5xx: what passive outlier detection counts. */
  ok: boolean
  /** Time from onStart to the end (or to the first byte, as the caller chooses), in milliseconds. */
  durationMs: number
}

/** A point-in-time view of one endpoint, for stats, the simulator and tests. */
export interface EndpointSnapshot {
  id: string
  /** The weight the algorithm currently uses (slow start lowers it for a while). */
  weight: number
  ready: boolean
  /** Whether pick() may return it now (ready, weight > 0, not ejected). */
  available: boolean
  /** Connections or requests started and not yet finished. */
  active: number
}

/**
 * A load-balancing algorithm. `pick` is the hot path: O(1) or O(log n) (weighted round-robin is O(n)
 * as in nginx), and it allocates nothing. Call `onStart` when traffic really goes to the picked
 * endpoint and `onFinish` exactly once for each `onStart`; ids unknown to the balancer are ignored,
 * so a connection may outlive its endpoint's removal.
 *
 * The `…Index` methods are the same operations addressed by position in the last update's list
 * (no string lookups): the simulator drives a million endpoints through them. A position is only
 * meaningful until the next update that changes the list's ids or their order.
 */
export interface Balancer {
  /** The canonical algorithm name (`round-robin`, `maglev`, …); a wrapper reports the one it wraps. */
  readonly algorithm: string
  /** Chooses an endpoint id, or undefined when none is available. */
  pick(ctx?: PickContext): string | undefined
  /** Like pick, but returns the chosen endpoint's position in the last update's list, or -1. */
  pickIndex(ctx?: PickContext): number
  /** A connection or request to `id` began. */
  onStart(id: string): void
  /** onStart by position; positions outside the list are ignored. */
  onStartIndex(index: number): void
  /** A connection or request to `id` ended with this outcome. */
  onFinish(id: string, outcome: Outcome): void
  /** onFinish by position; positions outside the list are ignored. */
  onFinishIndex(index: number, outcome: Outcome): void
  /** Replaces the endpoint list; endpoints whose id stays keep their state. */
  update(endpoints: EndpointList): void
  /** Whether pick() may currently return `id`. */
  available(id: string): boolean
  /** Every known endpoint (ready or not), in update order. */
  snapshot(): EndpointSnapshot[]
}

/** What balancers are built with: time and chance are injected, never global. */
export interface BalancerDeps {
  rng: Rng
  clock: Clock
}

/** How the registry knows an algorithm: its names, parameters and constructor. */
export interface AlgorithmInfo {
  /** Canonical name, as in `kplab.io/lb-algorithm`. */
  name: string
  /** Other accepted spellings (`rr`, `p2c`, HAProxy's and nginx's names). */
  aliases: readonly string[]
  /** One line for `--help` and the README. */
  summary: string
  /** Keyed by client IP or hash key: slow start is refused, as nginx refuses `slow_start` with hash methods. */
  hashed: boolean
  params: readonly ParamSpec[]
  /** Builds a balancer from validated parameters. */
  create(params: ParamValues, deps: BalancerDeps): Balancer
}
