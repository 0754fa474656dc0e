// The scenario a simulation runs: its typed shape and the validation that turns a parsed YAML
// document into it, with errors naming the field (`workload.arrivals.rate: must be a positive number`).
import { BalancerConfigError } from '../lb/errors.js'
import { ALGORITHMS, createBalancer, findAlgorithm } from '../lb/registry.js'
import { seededRng } from '../base/rng.js'
import type { Distribution } from './distributions.js'
import { ScenarioError } from './errors.js'
import { SimClock, TIME_UNITS } from './sim-clock.js'

/** A change to one backend at a simulated time. */
export interface BackendEvent {
  at: number
  /** down: fails its requests and leaves the endpoint list; up: returns; slow: changes its speed. */
  type: 'down' | 'up' | 'slow'
  /** New speed for `slow`. */
  speed: number
}

/** One backend: `speed` divides service times (0.25 is four times slower); `capacity` serves at once, the rest queue. */
export interface BackendSpec {
  name: string
  weight: number
  speed: number
  capacity: number
  events: BackendEvent[]
}

/** How requests arrive: open Poisson (rate per backend per time unit), a closed loop of clients, or a trace. */
export type Arrivals =
  | { type: 'poisson'; rate: number }
  | { type: 'closed'; clients: number; think: Distribution }
  | { type: 'trace'; file: string; times: Float64Array; clients: Int32Array }

/** What the clients do. */
export interface Workload {
  arrivals: Arrivals
  service: Distribution
  /** Requests to issue in total. */
  requests: number
  /** Requests at the start left out of response-time statistics (the queues fill up first). */
  warmup: number
  /** Requests carried by one connection, one after the other (keep-alive). */
  requestsPerConnection: number
  /** Client addresses, for ip-hash and ClientIP affinity; each connection comes from one of them. */
  clients: string[]
}

/** One algorithm to compare: a name of the lb registry or `iptables`, its params and its unit. */
export interface AlgorithmSpec {
  name: string
  params: Record<string, unknown>
  /** connection: one pick per connection (L4, kube-proxy); request: one pick per request (L7). */
  unit: 'connection' | 'request'
  /** How the report names it (default: the name, with params when they are set). */
  label: string
}

/** A validated scenario. */
export interface Scenario {
  name: string
  timeUnit: string
  /** Milliseconds per time unit (what the balancers' clock sees). */
  unitMs: number
  backends: BackendSpec[]
  /** Time between a backend going down or up and the balancer's endpoint list changing. */
  endpointUpdateDelay: number
  workload: Workload
  algorithms: AlgorithmSpec[]
}

type Obj = Record<string, unknown>

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

function obj(v: unknown, field: string): Obj {
  if (!isObj(v)) throw new ScenarioError(field, 'must be a mapping (key: value)')
  return v
}

function known(o: Obj, field: string, keys: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) throw new ScenarioError(field === '' ? k : `${field}.${k}`, `unknown field (known: ${keys.join(', ')})`)
  }
}

function positive(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ScenarioError(field, `must be a positive number (got ${JSON.stringify(v)})`)
  return v
}

function nonNegative(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ScenarioError(field, `must be a number ≥ 0 (got ${JSON.stringify(v)})`)
  return v
}

function integer(v: unknown, field: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ScenarioError(field, `must be an integer ≥ ${min} (got ${JSON.stringify(v)})`)
  return v
}

/** Validates a distribution (`service`, `think`). */
export function parseDistribution(v: unknown, field: string): Distribution {
  const o = obj(v, field)
  const d = o.distribution
  switch (d) {
    case 'exponential':
      known(o, field, ['distribution', 'mean'])
      return { distribution: d, mean: positive(o.mean ?? 1, `${field}.mean`) }
    case 'fixed':
      known(o, field, ['distribution', 'value', 'mean'])
      return { distribution: d, value: positive(o.value ?? o.mean ?? 1, `${field}.value`) }
    case 'lognormal':
      known(o, field, ['distribution', 'mean', 'sigma'])
      return { distribution: d, mean: positive(o.mean ?? 1, `${field}.mean`), sigma: positive(o.sigma ?? 1, `${field}.sigma`) }
    case 'pareto': {
      known(o, field, ['distribution', 'mean', 'alpha'])
      const alpha = positive(o.alpha ?? 2, `${field}.alpha`)
      if (alpha <= 1) throw new ScenarioError(`${field}.alpha`, `must be > 1 for the mean to exist (got ${alpha})`)
      return { distribution: d, mean: positive(o.mean ?? 1, `${field}.mean`), alpha }
    }
    case 'infinite':
      known(o, field, ['distribution'])
      return { distribution: d }
    default:
      throw new ScenarioError(`${field}.distribution`, `must be one of exponential, lognormal, fixed, pareto, infinite (got ${JSON.stringify(d)})`)
  }
}

function parseEvents(v: unknown, field: string): BackendEvent[] {
  if (v === undefined) return []
  if (!Array.isArray(v)) throw new ScenarioError(field, 'must be a list of {at, type: down|up|slow, speed}')
  const events = v.map((e, i): BackendEvent => {
    const f = `${field}[${i}]`
    const o = obj(e, f)
    known(o, f, ['at', 'type', 'speed'])
    if (o.type !== 'down' && o.type !== 'up' && o.type !== 'slow') throw new ScenarioError(`${f}.type`, `must be down, up or slow (got ${JSON.stringify(o.type)})`)
    if (o.type === 'slow' && o.speed === undefined) throw new ScenarioError(`${f}.speed`, 'is required for a slow event (the new speed, e.g. 0.25)')
    return { at: nonNegative(o.at, `${f}.at`), type: o.type, speed: o.speed === undefined ? 1 : positive(o.speed, `${f}.speed`) }
  })
  return events.sort((a, b) => a.at - b.at)
}

function parseBackends(v: unknown): BackendSpec[] {
  if (typeof v === 'number') {
    const n = integer(v, 'backends', 1)
    return Array.from({ length: n }, (_, i) => ({ name: `b${i}`, weight: 1, speed: 1, capacity: 1, events: [] }))
  }
  if (!Array.isArray(v) || v.length === 0) throw new ScenarioError('backends', 'must be a count (e.g. 100) or a non-empty list of {name, weight, speed, capacity, events}')
  const seen = new Set<string>()
  return v.map((b, i) => {
    const f = `backends[${i}]`
    const o = obj(b, f)
    known(o, f, ['name', 'weight', 'speed', 'capacity', 'events'])
    const name = o.name ?? `b${i}`
    if (typeof name !== 'string' || name === '') throw new ScenarioError(`${f}.name`, 'must be a non-empty string')
    if (seen.has(name)) throw new ScenarioError(`${f}.name`, `duplicate backend name "${name}"`)
    seen.add(name)
    const capacity = o.capacity === undefined || o.capacity === 'infinite' ? (o.capacity === 'infinite' ? Infinity : 1) : integer(o.capacity, `${f}.capacity`, 1)
    return {
      name,
      weight: o.weight === undefined ? 1 : nonNegative(o.weight, `${f}.weight`),
      speed: o.speed === undefined ? 1 : positive(o.speed, `${f}.speed`),
      capacity,
      events: parseEvents(o.events, `${f}.events`),
    }
  })
}

function parseClients(v: unknown): string[] {
  const field = 'workload.clients'
  if (v === undefined) v = 1000
  if (typeof v === 'number') {
    const n = integer(v, field, 1)
    if (n > 1 << 24) throw new ScenarioError(field, `at most ${1 << 24} clients (one per address of 10.0.0.0/8)`)
    // Addresses in 10.0.0.0/8, in order, so that every run names the same clients.
    return Array.from({ length: n }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`)
  }
  if (!Array.isArray(v) || v.length === 0) throw new ScenarioError(field, 'must be a count or a non-empty list of IP addresses')
  return v.map((ip, i) => {
    if (typeof ip !== 'string' || !/^[0-9a-fA-F:.]+$/.test(ip)) throw new ScenarioError(`${field}[${i}]`, `must be an IP address (got ${JSON.stringify(ip)})`)
    return ip
  })
}

/** Reads a trace: one arrival per line, `time [client-index]`, times non-decreasing; `#` starts a comment. */
export function parseTrace(text: string, field: string): { times: Float64Array; clients: Int32Array } {
  const times: number[] = []
  const clients: number[] = []
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim()
    if (line === '') return
    const [t, c] = line.split(/[\s,]+/)
    const time = Number(t)
    if (!Number.isFinite(time) || time < 0) throw new ScenarioError(field, `line ${i + 1}: "${t}" is not a time ≥ 0`)
    if (times.length > 0 && time < times[times.length - 1]!) throw new ScenarioError(field, `line ${i + 1}: times must not decrease`)
    const client = c === undefined ? -1 : Number(c)
    if (!Number.isInteger(client) || client < -1) throw new ScenarioError(field, `line ${i + 1}: client "${c}" is not an index ≥ 0`)
    times.push(time)
    clients.push(client)
  })
  if (times.length === 0) throw new ScenarioError(field, 'the trace has no arrivals')
  return { times: Float64Array.from(times), clients: Int32Array.from(clients) }
}

function parseArrivals(v: unknown, readFile: (path: string) => string): Arrivals {
  const field = 'workload.arrivals'
  const o = obj(v, field)
  switch (o.type) {
    case 'poisson':
      known(o, field, ['type', 'rate'])
      return { type: 'poisson', rate: positive(o.rate, `${field}.rate`) }
    case 'closed':
      known(o, field, ['type', 'clients', 'think'])
      return { type: 'closed', clients: integer(o.clients, `${field}.clients`, 1), think: parseDistribution(o.think ?? { distribution: 'exponential', mean: 1 }, `${field}.think`) }
    case 'trace': {
      known(o, field, ['type', 'file'])
      if (typeof o.file !== 'string' || o.file === '') throw new ScenarioError(`${field}.file`, 'must be the path of a trace file (one arrival time per line)')
      let text: string
      try {
        text = readFile(o.file)
      } catch {
        throw new ScenarioError(`${field}.file`, `cannot read "${o.file}" (paths are relative to the scenario file)`)
      }
      return { type: 'trace', file: o.file, ...parseTrace(text, `${field}.file`) }
    }
    default:
      throw new ScenarioError(`${field}.type`, `must be poisson, closed or trace (got ${JSON.stringify(o.type)})`)
  }
}

function labelOf(name: string, params: Record<string, unknown>, unit: string, defaultUnit: string): string {
  const p = Object.keys(params).length > 0 ? ` ${JSON.stringify(params)}` : ''
  return `${name}${p}${unit !== defaultUnit ? ` per ${unit}` : ''}`
}

function parseAlgorithms(v: unknown): AlgorithmSpec[] {
  if (!Array.isArray(v) || v.length === 0) throw new ScenarioError('algorithms', 'must be a non-empty list of {name, params}')
  const labels = new Set<string>()
  return v.map((a, i) => {
    const f = `algorithms[${i}]`
    const o = obj(a, f)
    known(o, f, ['name', 'params', 'unit', 'label'])
    if (typeof o.name !== 'string') throw new ScenarioError(`${f}.name`, 'must be an algorithm name (e.g. power-of-two-choices, or iptables)')
    const params = o.params === undefined ? {} : obj(o.params, `${f}.params`)
    const isIptables = o.name === 'iptables'
    const info = isIptables ? undefined : findAlgorithm(o.name)
    if (!isIptables && !info) throw new ScenarioError(`${f}.name`, `unknown algorithm "${o.name}" (known: iptables, ${ALGORITHMS.map((x) => x.name).join(', ')})`)
    if (isIptables && Object.keys(params).length > 0) throw new ScenarioError(`${f}.params`, 'iptables takes no parameters (kube-proxy\'s cascade is fixed)')
    if (info) {
      // Build once so that bad parameters fail here, naming the scenario field.
      try {
        createBalancer(o.name, params, { rng: seededRng(0), clock: new SimClock(1) })
      } catch (e) {
        if (e instanceof BalancerConfigError) throw new ScenarioError(`${f}.${e.field === 'algorithm' ? 'name' : e.field}`, e.message.slice(e.field.length + 2))
        throw e
      }
    }
    const name = info ? info.name : 'iptables'
    const defaultUnit = isIptables ? 'connection' : 'request'
    const unit = o.unit ?? defaultUnit
    if (unit !== 'connection' && unit !== 'request') throw new ScenarioError(`${f}.unit`, `must be connection (L4: one pick per connection) or request (L7: one pick per request); got ${JSON.stringify(unit)}`)
    const label = o.label ?? labelOf(name, params, unit, defaultUnit)
    if (typeof label !== 'string' || label === '') throw new ScenarioError(`${f}.label`, 'must be a non-empty string')
    if (labels.has(label)) throw new ScenarioError(`${f}.label`, `"${label}" appears twice; give one of them another label`)
    labels.add(label)
    return { name, params, unit, label }
  })
}

/** Options of validateScenario. */
export interface ValidateOptions {
  /** Name used when the document has none (e.g. the file's base name). */
  name?: string
  /** Reads a file the scenario refers to (a trace), relative to the scenario file. */
  readFile?: (path: string) => string
}

/** Turns a parsed scenario document into a Scenario, or throws ScenarioError naming the field. */
export function validateScenario(doc: unknown, opts: ValidateOptions = {}): Scenario {
  const o = obj(doc, '')
  known(o, '', ['name', 'description', 'timeUnit', 'backends', 'endpointUpdateDelay', 'workload', 'algorithms'])
  const timeUnit = o.timeUnit ?? 'ms'
  if (typeof timeUnit !== 'string' || TIME_UNITS[timeUnit] === undefined) throw new ScenarioError('timeUnit', `must be one of ${Object.keys(TIME_UNITS).join(', ')} (got ${JSON.stringify(timeUnit)})`)
  const name = o.name ?? opts.name ?? 'scenario'
  if (typeof name !== 'string') throw new ScenarioError('name', 'must be a string')
  if (o.backends === undefined) throw new ScenarioError('backends', 'is required: a count (e.g. 100) or a list of {name, weight, speed, capacity}')
  const backends = parseBackends(o.backends)
  const w = obj(o.workload, 'workload')
  known(w, 'workload', ['arrivals', 'service', 'requests', 'warmup', 'requestsPerConnection', 'clients'])
  const readFile = opts.readFile ?? (() => {
    throw new Error('no file access')
  })
  const arrivals = parseArrivals(w.arrivals, readFile)
  const requests = w.requests === undefined && arrivals.type === 'trace' ? arrivals.times.length : integer(w.requests, 'workload.requests', 1)
  const warmup = w.warmup === undefined ? 0 : integer(w.warmup, 'workload.warmup', 0)
  if (warmup >= requests) throw new ScenarioError('workload.warmup', `must be below workload.requests (${requests}): no request would be measured`)
  const workload: Workload = {
    arrivals,
    service: parseDistribution(w.service ?? { distribution: 'exponential', mean: 1 }, 'workload.service'),
    requests,
    warmup,
    requestsPerConnection: w.requestsPerConnection === undefined ? 1 : integer(w.requestsPerConnection, 'workload.requestsPerConnection', 1),
    clients: parseClients(w.clients),
  }
  return {
    name,
    timeUnit,
    unitMs: TIME_UNITS[timeUnit]!,
    backends,
    endpointUpdateDelay: o.endpointUpdateDelay === undefined ? 0 : nonNegative(o.endpointUpdateDelay, 'endpointUpdateDelay'),
    workload,
    algorithms: parseAlgorithms(o.algorithms),
  }
}
