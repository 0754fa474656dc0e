// A scenario's backends as columns (typed arrays by backend index), built once per scenario: the
// engine reads them instead of a million backend objects, and every run hands its balancer the same
// EndpointIds, so the balancer's updates never match ids or build a Map.
import { EndpointIds } from '../lb/endpoint-set.js'
import type { BackendEvent, Scenario } from './scenario.js'

/** A scenario's backends as columns, by backend index (the balancer's endpoint positions are backend indices). */
export interface BackendColumns {
  /** Backend names, validated distinct by validateScenario. */
  ids: EndpointIds
  weights: Float64Array
  capacity: Float64Array
  speed: Float64Array
  /** Every backend event, with its backend's index, in backend order. */
  events: readonly BackendEventAt[]
}

/** A backend event and the index of its backend. */
export interface BackendEventAt extends BackendEvent {
  backend: number
}

// Built once per scenario: every run (and every algorithm) of it reads the same arrays and hands
// the balancer the same EndpointIds, so updates skip id matching and no id map is ever built.
const columnsOf = new WeakMap<Scenario, BackendColumns>()

/** The backends of `scenario` as columns (cached; treat as read-only). */
export function backendColumns(scenario: Scenario): BackendColumns {
  let c = columnsOf.get(scenario)
  if (c === undefined) {
    c = {
      // validateScenario already refused duplicate names (and generated names are distinct), so the
      // million-entry duplicate scan is skipped.
      ids: new EndpointIds(
        scenario.backends.map((b) => b.name),
        true,
      ),
      weights: column(scenario, (b) => b.weight),
      capacity: column(scenario, (b) => b.capacity),
      speed: column(scenario, (b) => b.speed),
      events: scenario.backends.flatMap((b, i) => (b.events.length === 0 ? [] : b.events.map((e) => ({ backend: i, ...e })))),
    }
    columnsOf.set(scenario, c)
  }
  return c
}

/** One number per backend, in a typed array (a plain loop: `Float64Array.from` with a map function is far slower at a million). */
function column(scenario: Scenario, f: (b: Scenario['backends'][number]) => number): Float64Array {
  const bs = scenario.backends
  const a = new Float64Array(bs.length)
  for (let i = 0; i < bs.length; i++) a[i] = f(bs[i]!)
  return a
}
