// A live experiment file (`lab/experiments/live-*.yaml`): what to deploy in the lab, the rounds
// (proxy mode and algorithm per round), the load and the events, validated with errors that name
// the field (`rounds[1].algorithm: unknown algorithm "p3c"`), as the simulator's scenarios are.
import { readFileSync } from 'node:fs'
import { basename, extname } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { KplabError } from '../base/errors.js'
import { ALGORITHMS, findAlgorithm } from '../lb/registry.js'

/** An experiment file that does not validate; `field` is the path to fix. */
export class ExperimentError extends KplabError {
  constructor(
    readonly field: string,
    readonly detail: string,
    readonly file?: string,
  ) {
    super('EEXPERIMENT', `${file ? `${file}: ` : ''}${field ? `${field}: ` : ''}${detail}`)
  }
}

/** A group of identical echo pods: one Deployment `<experiment>-<name>` sharing the Service's label. */
export interface PodGroup {
  name: string
  replicas: number
  /** ECHO_DELAY_MS: added to every answer. */
  delayMs: number
  /** ECHO_ERROR_RATE: fraction answered with 500. */
  errorRate: number
}

/** The load of every round. */
export interface ExperimentLoad {
  loop: 'closed' | 'open'
  /** Closed loop: workers. */
  concurrency: number
  /** Open loop: requests per second. */
  rate: number
  requests: number
  keepAlive: boolean
  timeoutMs: number
}

/** One round: which proxy carries the Service and with which algorithm. */
export interface ExperimentRound {
  label: string
  /** iptables: kube-proxy's rules (random per connection); userspace: the labelled Service goes to the node's userspace proxy. */
  proxy: 'iptables' | 'userspace'
  /** The `kplab.io/lb-algorithm` annotation (userspace rounds). */
  algorithm?: string
}

/** Something done to the lab while a round's load runs, `atMs` after it starts. */
export type ExperimentEvent =
  | { atMs: number; type: 'delete-pod'; group: string }
  | { atMs: number; type: 'slow-group'; group: string; delayMs: number }
  | { atMs: number; type: 'stop-kubelet'; node: string }

/** A validated live experiment. */
export interface Experiment {
  name: string
  description: string
  namespace: string
  groups: PodGroup[]
  /** The Service port's appProtocol: http balances per request in the userspace proxy, tcp per connection. */
  appProtocol: 'http' | 'tcp'
  load: ExperimentLoad
  rounds: ExperimentRound[]
  events: ExperimentEvent[]
}

type Obj = Record<string, unknown>

function obj(v: unknown, field: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ExperimentError(field, 'must be a mapping (key: value)')
  return v as Obj
}

function known(o: Obj, field: string, keys: readonly string[]): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) throw new ExperimentError(field ? `${field}.${k}` : k, `unknown field (known: ${keys.join(', ')})`)
}

function int(v: unknown, field: string, min: number, dflt?: number): number {
  if (v === undefined && dflt !== undefined) return dflt
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ExperimentError(field, `must be an integer ≥ ${min} (got ${JSON.stringify(v)})`)
  return v
}

function num(v: unknown, field: string, min: number, max: number, dflt: number): number {
  if (v === undefined) return dflt
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new ExperimentError(field, `must be a number in [${min}, ${max}] (got ${JSON.stringify(v)})`)
  return v
}

function dns(v: unknown, field: string): string {
  if (typeof v !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) || v.length > 40) {
    throw new ExperimentError(field, `must be a lowercase DNS label of at most 40 characters (got ${JSON.stringify(v)})`)
  }
  return v
}

function parseGroups(v: unknown): PodGroup[] {
  const f = 'deploy.groups'
  if (!Array.isArray(v) || v.length === 0) throw new ExperimentError(f, 'must be a non-empty list of {name, replicas, delayMs, errorRate}')
  const seen = new Set<string>()
  return v.map((g, i) => {
    const o = obj(g, `${f}[${i}]`)
    known(o, `${f}[${i}]`, ['name', 'replicas', 'delayMs', 'errorRate'])
    const name = dns(o.name, `${f}[${i}].name`)
    if (seen.has(name)) throw new ExperimentError(`${f}[${i}].name`, `duplicate group name "${name}"`)
    seen.add(name)
    return { name, replicas: int(o.replicas, `${f}[${i}].replicas`, 1, 1), delayMs: num(o.delayMs, `${f}[${i}].delayMs`, 0, 60_000, 0), errorRate: num(o.errorRate, `${f}[${i}].errorRate`, 0, 1, 0) }
  })
}

function parseLoad(v: unknown): ExperimentLoad {
  const o = obj(v ?? {}, 'load')
  known(o, 'load', ['loop', 'concurrency', 'rate', 'requests', 'keepAlive', 'timeoutMs'])
  const loop = o.loop ?? 'closed'
  if (loop !== 'closed' && loop !== 'open') throw new ExperimentError('load.loop', `must be closed (workers) or open (Poisson arrivals at load.rate); got ${JSON.stringify(loop)}`)
  if (loop === 'open' && o.rate === undefined) throw new ExperimentError('load.rate', 'is required for an open loop (requests per second, e.g. 200)')
  if (o.keepAlive !== undefined && typeof o.keepAlive !== 'boolean') throw new ExperimentError('load.keepAlive', `must be true or false (got ${JSON.stringify(o.keepAlive)})`)
  return {
    loop,
    concurrency: int(o.concurrency, 'load.concurrency', 1, 4),
    rate: loop === 'open' ? num(o.rate, 'load.rate', 0.001, 100_000, 0) : 0,
    requests: int(o.requests, 'load.requests', 1, 300),
    keepAlive: (o.keepAlive as boolean | undefined) ?? true,
    timeoutMs: int(o.timeoutMs, 'load.timeoutMs', 1, 10_000),
  }
}

function parseRounds(v: unknown): ExperimentRound[] {
  if (!Array.isArray(v) || v.length === 0) throw new ExperimentError('rounds', 'must be a non-empty list of {proxy: iptables|userspace, algorithm, label}')
  const labels = new Set<string>()
  return v.map((r, i) => {
    const f = `rounds[${i}]`
    const o = obj(r, f)
    known(o, f, ['label', 'proxy', 'algorithm'])
    const proxy = o.proxy ?? (o.algorithm === undefined ? 'iptables' : 'userspace')
    if (proxy !== 'iptables' && proxy !== 'userspace') throw new ExperimentError(`${f}.proxy`, `must be iptables or userspace (got ${JSON.stringify(proxy)})`)
    let algorithm: string | undefined
    if (proxy === 'iptables' && o.algorithm !== undefined) throw new ExperimentError(`${f}.algorithm`, 'the iptables proxy has no algorithm (its rules pick at random per connection); use proxy: userspace')
    if (proxy === 'userspace') {
      const info = typeof o.algorithm === 'string' ? findAlgorithm(o.algorithm) : undefined
      if (!info) throw new ExperimentError(`${f}.algorithm`, `unknown algorithm ${JSON.stringify(o.algorithm)} (known: ${ALGORITHMS.map((a) => a.name).join(', ')})`)
      algorithm = info.name
    }
    const label = o.label ?? (proxy === 'iptables' ? 'iptables' : algorithm!)
    if (typeof label !== 'string' || label === '') throw new ExperimentError(`${f}.label`, 'must be a non-empty string')
    if (labels.has(label)) throw new ExperimentError(`${f}.label`, `"${label}" appears twice; give one round another label`)
    labels.add(label)
    return { label, proxy, algorithm }
  })
}

function parseEvents(v: unknown, groups: readonly PodGroup[]): ExperimentEvent[] {
  if (v === undefined) return []
  if (!Array.isArray(v)) throw new ExperimentError('events', 'must be a list of {atMs, type: delete-pod|slow-group|stop-kubelet, …}')
  const group = (o: Obj, f: string): string => {
    if (!groups.some((g) => g.name === o.group)) throw new ExperimentError(`${f}.group`, `must name a group of deploy.groups (${groups.map((g) => g.name).join(', ')}); got ${JSON.stringify(o.group)}`)
    return o.group as string
  }
  return v
    .map((e, i): ExperimentEvent => {
      const f = `events[${i}]`
      const o = obj(e, f)
      const atMs = num(o.atMs, `${f}.atMs`, 0, 3_600_000, Number.NaN)
      if (Number.isNaN(atMs)) throw new ExperimentError(`${f}.atMs`, 'is required: milliseconds after the round\'s load starts')
      switch (o.type) {
        case 'delete-pod':
          known(o, f, ['atMs', 'type', 'group'])
          return { atMs, type: o.type, group: group(o, f) }
        case 'slow-group':
          known(o, f, ['atMs', 'type', 'group', 'delayMs'])
          if (o.delayMs === undefined) throw new ExperimentError(`${f}.delayMs`, 'is required for slow-group (the new ECHO_DELAY_MS)')
          return { atMs, type: o.type, group: group(o, f), delayMs: num(o.delayMs, `${f}.delayMs`, 0, 60_000, 0) }
        case 'stop-kubelet':
          known(o, f, ['atMs', 'type', 'node'])
          if (typeof o.node !== 'string' || !/^node-?\d+$/.test(o.node)) throw new ExperimentError(`${f}.node`, `must be a node name such as node1 (got ${JSON.stringify(o.node)})`)
          return { atMs, type: o.type, node: o.node }
        default:
          throw new ExperimentError(`${f}.type`, `must be delete-pod, slow-group or stop-kubelet (got ${JSON.stringify(o.type)})`)
      }
    })
    .sort((a, b) => a.atMs - b.atMs)
}

/** Turns a parsed experiment document into an Experiment, or throws ExperimentError naming the field. */
export function validateExperiment(doc: unknown, opts: { name?: string } = {}): Experiment {
  const o = obj(doc, '')
  known(o, '', ['name', 'description', 'namespace', 'deploy', 'load', 'rounds', 'events'])
  const name = dns(o.name ?? opts.name, 'name')
  if (o.description !== undefined && typeof o.description !== 'string') throw new ExperimentError('description', 'must be a string')
  const namespace = o.namespace === undefined ? 'default' : dns(o.namespace, 'namespace')
  if (o.deploy === undefined) throw new ExperimentError('deploy', 'is required: {groups: [{name, replicas, delayMs, errorRate}], appProtocol}')
  const d = obj(o.deploy, 'deploy')
  known(d, 'deploy', ['groups', 'appProtocol'])
  const appProtocol = d.appProtocol ?? 'http'
  if (appProtocol !== 'http' && appProtocol !== 'tcp') throw new ExperimentError('deploy.appProtocol', `must be http (the userspace proxy balances per request) or tcp (per connection); got ${JSON.stringify(appProtocol)}`)
  const groups = parseGroups(d.groups)
  return {
    name,
    description: (o.description as string | undefined) ?? '',
    namespace,
    groups,
    appProtocol,
    load: parseLoad(o.load),
    rounds: parseRounds(o.rounds),
    events: parseEvents(o.events, groups),
  }
}

/** Parses experiment YAML text. */
export function parseExperiment(text: string, opts: { name?: string } = {}): Experiment {
  let doc: unknown
  try {
    doc = parseYaml(text)
  } catch (e) {
    throw new ExperimentError('', `not valid YAML: ${(e as Error).message.split('\n')[0]}`)
  }
  return validateExperiment(doc, opts)
}

/** Reads and validates an experiment file (named after the file unless it has a `name`). */
export function loadExperiment(path: string): Experiment {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw new ExperimentError('', 'cannot read the experiment file (does it exist?)', path)
  }
  try {
    return parseExperiment(text, { name: basename(path, extname(path)) })
  } catch (e) {
    if (e instanceof ExperimentError) throw new ExperimentError(e.field, e.detail, path)
    throw e
  }
}
