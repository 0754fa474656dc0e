// A declarative lab network: namespaces, bridges, veth pairs, addresses and routes, all under one
// caller-given prefix. planTopology turns it into exact `ip` steps (pure); applyTopology runs them
// and records what it made in a JSON-serialisable state, so destroyTopology removes exactly that,
// and destroyByPrefix finds leftovers after a crash. Interfaces need no prefix: every one lives
// inside a lab namespace and disappears with it.
import { CommandError } from '../base/errors.js'
import { assertNetnsName, type CommandRunner } from './exec.js'
import { addressStep, bridgeStep, linkUpStep, masterStep, routeStep, vethStep, type RouteSpec } from './links.js'
import { createNamespaceSteps, deleteNamespace, listNamespaces, type NamespaceOptions } from './namespace.js'
import { runStep, validateStep, type Step } from './step.js'

/** A namespace of the topology; `name` is short and gets the topology's prefix. */
export interface TopologyNamespace extends NamespaceOptions {
  name: string
}

/** A bridge inside a namespace (short namespace name), with optional addresses. */
export interface TopologyBridge {
  netns: string
  name: string
  addresses?: string[]
}

/** One end of a veth pair: its namespace (short name), interface name, addresses, bridge. */
export interface VethEnd {
  netns: string
  name: string
  addresses?: string[]
  /** A bridge in the same namespace to attach this end to. */
  master?: string
}

/** A route inside a namespace (short name). */
export interface TopologyRoute extends RouteSpec {
  netns: string
}

/** The whole lab network; every name in it is created under `prefix`. */
export interface Topology {
  /** `kplab-<id>-`: unique per lab or test, the only names this code creates or deletes. */
  prefix: string
  namespaces: TopologyNamespace[]
  bridges?: TopologyBridge[]
  veths?: { a: VethEnd; b: VethEnd }[]
  routes?: TopologyRoute[]
}

/** What applyTopology made, in creation order; JSON-serialisable for crash recovery. */
export interface TopologyState {
  prefix: string
  /** Full namespace names. */
  namespaces: string[]
  /** Links as "namespace/interface", for reports; they go away with their namespaces. */
  links: string[]
}

const PREFIX = /^kplab-[A-Za-z0-9][A-Za-z0-9_.-]*-$/

/** Throws unless prefix looks like `kplab-<id>-` (so cleanup by prefix can only hit lab names). */
export function assertPrefix(prefix: string): void {
  if (typeof prefix !== 'string' || !PREFIX.test(prefix) || prefix.length > 40) {
    throw new TypeError(`invalid lab prefix ${JSON.stringify(prefix)}: use "kplab-<id>-" (letters, digits, "_.-"; at most 40 characters)`)
  }
}

/** The full namespace name of a short topology name. */
export function namespaceName(prefix: string, short: string): string {
  const full = prefix + short
  assertNetnsName(full)
  return full
}

/** Checks a topology's references and turns it into the exact, ordered steps that build it. */
export function planTopology(topology: Topology): Step[] {
  assertPrefix(topology.prefix)
  const known = new Set<string>()
  for (const n of topology.namespaces) {
    if (known.has(n.name)) throw new TypeError(`namespace ${JSON.stringify(n.name)} is declared twice in the topology`)
    known.add(n.name)
  }
  const ns = (short: string, where: string): string => {
    if (!known.has(short)) {
      throw new TypeError(`${where} names namespace ${JSON.stringify(short)}, which is not in topology.namespaces; declare it there`)
    }
    return namespaceName(topology.prefix, short)
  }
  const bridges = new Set((topology.bridges ?? []).map((b) => `${b.netns}/${b.name}`))
  const steps: Step[] = []
  for (const n of topology.namespaces) steps.push(...createNamespaceSteps(namespaceName(topology.prefix, n.name), n))
  for (const b of topology.bridges ?? []) {
    const netns = ns(b.netns, `bridge ${b.name}`)
    steps.push(bridgeStep(netns, b.name))
    for (const a of b.addresses ?? []) steps.push(addressStep(netns, b.name, a))
    steps.push(linkUpStep(netns, b.name))
  }
  for (const v of topology.veths ?? []) {
    const where = `veth ${v.a.name}/${v.b.name}`
    const a = ns(v.a.netns, where)
    const b = ns(v.b.netns, where)
    steps.push(vethStep({ netns: a, name: v.a.name }, { netns: b, name: v.b.name }))
    for (const [end, full] of [[v.a, a], [v.b, b]] as const) {
      if (end.master !== undefined) {
        if (!bridges.has(`${end.netns}/${end.master}`)) {
          throw new TypeError(`${where}: master ${JSON.stringify(end.master)} is not a bridge in namespace ${JSON.stringify(end.netns)}`)
        }
        steps.push(masterStep(full, end.name, end.master))
      }
      for (const addr of end.addresses ?? []) steps.push(addressStep(full, end.name, addr))
      steps.push(linkUpStep(full, end.name))
    }
  }
  for (const r of topology.routes ?? []) {
    const { netns, ...route } = r
    steps.push(routeStep(ns(netns, `route to ${r.to}`), route))
  }
  for (const s of steps) validateStep(s)
  return steps
}

/** Checks a state read back from JSON (e.g. a state file after a crash) before cleanup trusts it. */
export function parseTopologyState(value: unknown): TopologyState {
  const v = value as Partial<TopologyState> | null
  const strings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string')
  if (!v || typeof v !== 'object' || typeof v.prefix !== 'string' || !strings(v.namespaces) || !strings(v.links)) {
    throw new TypeError('invalid topology state: expected { prefix: string, namespaces: string[], links: string[] }')
  }
  assertPrefix(v.prefix)
  for (const n of v.namespaces) {
    assertNetnsName(n)
    if (!n.startsWith(v.prefix)) throw new TypeError(`invalid topology state: namespace ${n} is outside prefix ${v.prefix}`)
  }
  return { prefix: v.prefix, namespaces: [...v.namespaces], links: [...v.links] }
}

/** The steps that remove what a state records (namespaces in reverse creation order). */
export function planDestroy(state: TopologyState): Step[] {
  assertPrefix(state.prefix)
  return [...state.namespaces].reverse().map((n) => {
    if (!n.startsWith(state.prefix)) throw new TypeError(`state lists namespace ${n} outside its prefix ${state.prefix}; refusing to delete it`)
    return { op: 'netns-delete', netns: n }
  })
}

/** Options for applyTopology. */
export interface ApplyOptions {
  /** Called with the state after every creation, so a caller can persist it for crash cleanup. */
  record?: (state: TopologyState) => void | Promise<void>
}

/** Builds the topology; on failure removes what it made and rethrows. */
export async function applyTopology(topology: Topology, runner: CommandRunner, options: ApplyOptions = {}): Promise<TopologyState> {
  const steps = planTopology(topology)
  const state: TopologyState = { prefix: topology.prefix, namespaces: [], links: [] }
  try {
    for (const step of steps) {
      await runStep(runner, step)
      const made = madeBy(step)
      if (made) {
        if (made.kind === 'netns') state.namespaces.push(made.name)
        else state.links.push(made.name)
        await options.record?.(structuredClone(state))
      }
    }
  } catch (e) {
    await destroyTopology(state, runner).catch(() => {})
    throw e
  }
  return state
}

function madeBy(step: Step): { kind: 'netns' | 'link'; name: string } | undefined {
  if (step.op === 'netns-add') return { kind: 'netns', name: step.netns }
  if (step.op === 'ip' && step.args[0] === 'link' && step.args[1] === 'add') {
    const a = `${step.netns}/${step.args[2]}`
    const peer = step.args.indexOf('peer')
    return { kind: 'link', name: peer > 0 ? `${a},${step.args[step.args.length - 1]}/${step.args[peer + 2]}` : a }
  }
  return undefined
}

/** Deletes every namespace a state records; returns the ones that existed and were deleted. */
export async function destroyTopology(state: TopologyState, runner: CommandRunner): Promise<string[]> {
  return deleteAll(runner, planDestroy(state).map((s) => s.netns))
}

/** Deletes every namespace whose name starts with prefix (crash fallback); returns them. */
export async function destroyByPrefix(prefix: string, runner: CommandRunner): Promise<string[]> {
  assertPrefix(prefix)
  return deleteAll(runner, (await listNamespaces(runner, prefix)).reverse())
}

async function deleteAll(runner: CommandRunner, names: string[]): Promise<string[]> {
  const deleted: string[] = []
  const errors: CommandError[] = []
  // Keep going past a failure so one stuck namespace does not leave the others behind.
  for (const n of names) {
    try {
      if (await deleteNamespace(runner, n)) deleted.push(n)
    } catch (e) {
      errors.push(e as CommandError)
    }
  }
  if (errors.length > 0) throw errors[0]
  return deleted
}
