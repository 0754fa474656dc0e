// The netns lab: a network namespace per machine (master, node1..N, client) joined by a bridge that
// lives in its own namespace (`kplab-<name>-net`), node addresses and pod routes from
// lab/settings.yaml, and every component started inside its machine's namespace by the supervisor.
// The host's root namespace is never changed: the host reaches the API server and the proxies'
// metrics through loopback forwarders (see forwarder.ts).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { once } from 'node:events'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { parse, stringify } from 'yaml'
import type { Clock } from '../base/clock.js'
import type { CommandRunner } from '../netns/exec.js'
import { applyTopology, namespaceName, type Topology } from '../netns/topology.js'
import { labComponents, PROXY_METRICS_PORT, type ComponentSpec } from './components.js'
import { labPrefix, type LabStateFile } from './lab-state.js'
import { labMachines, prefixBits, type LabMachine, type LabSettings } from './settings.js'
import { Supervisor, type CliLauncher } from './supervisor.js'

/** Address of the client machine on the node network (host part). */
export const CLIENT_HOST_OCTET = 100

/** Options of startNetnsCluster. */
export interface NetnsClusterOptions {
  name: string
  stateDir: string
  settings: LabSettings
  nodes: number
  proxyMode: 'iptables' | 'userspace'
  lbAlgorithm: string
  launcher: CliLauncher
  clock: Clock
  runner: CommandRunner
  state: LabStateFile
  onProgress?: (line: string) => void
}

/** A running cluster of either mode, as lab.ts drives it. */
export interface RunningCluster {
  supervisor: Supervisor
  /** URL the host reaches the API server at. */
  apiServerURL: string
  /** kubeconfig that works from the host. */
  kubeconfig: string
  /** Node name → proxy metrics URL reachable from the host. */
  proxyMetrics: Record<string, string>
  stop(): Promise<void>
}

/** The machines of a netns lab with their namespace names: master, nodes and the client. */
export function netnsMachines(name: string, settings: LabSettings, nodes: number): (LabMachine & { netns: string })[] {
  const prefix = labPrefix(name)
  const net = settings.nodeNetwork.split('/')[0]!.split('.')
  const client: LabMachine = { name: 'client', role: 'node', address: `${net[0]}.${net[1]}.${net[2]}.${CLIENT_HOST_OCTET}` }
  return [...labMachines(settings, nodes), client].map((m) => ({ ...m, ...(m.name === 'client' ? { podCIDR: undefined } : {}), netns: namespaceName(prefix, m.name) }))
}

/** The lab network (pure): a bridge in `<prefix>net`, one veth per machine, pod and service routes. */
export function labTopology(name: string, settings: LabSettings, nodes: number): Topology {
  const prefix = labPrefix(name)
  const machines = labMachines(settings, nodes)
  const bits = prefixBits(settings.nodeNetwork)
  const net = settings.nodeNetwork.split('/')[0]!.split('.')
  const clientAddress = `${net[0]}.${net[1]}.${net[2]}.${CLIENT_HOST_OCTET}`
  const workers = machines.filter((m) => m.role === 'node')
  const topology: Topology = {
    prefix,
    namespaces: [{ name: 'net' }],
    bridges: [{ netns: 'net', name: 'br0' }],
    veths: [],
    routes: [],
  }
  const all = [...machines.map((m) => ({ name: m.name, address: m.address, node: m.role === 'node' })), { name: 'client', address: clientAddress, node: false }]
  for (const m of all) {
    // Nodes forward (pods behind them, Service DNAT) and allow DNAT to 127/8 (NodePorts on localhost).
    topology.namespaces.push(m.node ? { name: m.name, forwarding: true, routeLocalnet: true } : { name: m.name })
    if (m.node) {
      // The node's pod bridge with its gateway address, made before the kubelet starts (it adopts an
      // existing cbr0), so pods started at once never race to create it.
      const cidr = workers.find((w) => w.name === m.name)!.podCIDR!
      const [a, b, c] = cidr.split('.')
      topology.bridges!.push({ netns: m.name, name: 'cbr0', addresses: [`${a}.${b}.${c}.1/${prefixBits(cidr)}`] })
    }
    topology.veths!.push({ a: { netns: m.name, name: 'eth0', addresses: [`${m.address}/${bits}`] }, b: { netns: 'net', name: `v-${m.name}`, master: 'br0' } })
  }
  for (const m of all) {
    // Every machine reaches every other node's pods through that node (what a flat L2 node network
    // with host-gw routing does); a node's own pod CIDR is on its kubelet's bridge.
    for (const w of workers) if (w.name !== m.name) topology.routes!.push({ netns: m.name, to: w.podCIDR!, via: w.address })
    // Locally generated packets need a route before the nat OUTPUT chain can DNAT a ClusterIP; the
    // client sends its Service traffic to node1, whose proxy rules DNAT it (as a router would).
    if (m.node) topology.routes!.push({ netns: m.name, to: settings.serviceClusterIPRange, dev: 'eth0' })
    else if (m.name === 'client') topology.routes!.push({ netns: m.name, to: settings.serviceClusterIPRange, via: workers[0]!.address })
  }
  return topology
}

/** The argv prefix that runs a program in a named namespace without a new mount namespace. */
export function nsenterPrefix(netns: string): string[] {
  // `ip netns exec` would also unshare the mount namespace, so namespaces the kubelet adds for its
  // pods would be bind-mounted where the host cannot see them; nsenter switches only the network.
  return ['nsenter', `--net=/run/netns/${netns}`]
}

/**
 * Directory of the forwarders' unix sockets: `<stateDir>/s`, or `<tmpdir>/kplab-<name>-s` when the
 * state directory is too deep for sun_path (108 bytes, e.g. a test's fixture directory).
 */
export function socketDir(stateDir: string, name: string): string {
  const inState = join(stateDir, 's')
  return Buffer.byteLength(join(inState, 'm-node99')) <= 100 ? inState : join(tmpdir(), `kplab-${name}-s`)
}

/** Builds the network, then starts master, node and forwarder processes; resolves once all are up. */
export async function startNetnsCluster(o: NetnsClusterOptions): Promise<RunningCluster> {
  const say = o.onProgress ?? (() => {})
  const prefix = labPrefix(o.name)
  const topology = labTopology(o.name, o.settings, o.nodes)
  const machines = netnsMachines(o.name, o.settings, o.nodes)
  const ns = (machine: string): string => namespaceName(prefix, machine)
  // Record the namespaces before they exist: a crash in between still leaves a complete list.
  o.state.update((s) => {
    s.prefix = prefix
    s.namespaces = topology.namespaces.map((n) => namespaceName(prefix, n.name))
    s.machines = Object.fromEntries(machines.map((m) => [m.name, m.address]))
  })
  await applyTopology(topology, o.runner)
  say(`network            ${o.settings.nodeNetwork} on bridge br0 in ${prefix}net; machines ${machines.map((m) => m.name).join(', ')}`)

  const logs = join(o.stateDir, 'logs')
  mkdirSync(logs, { recursive: true })
  const sockets = socketDir(o.stateDir, o.name)
  // Recorded first, so down removes it even when it is outside the state directory.
  o.state.update((s) => {
    s.socketDir = sockets
  })
  mkdirSync(sockets, { recursive: true, mode: 0o700 })
  // Generous: a shared 2-core machine can take long to load a component's modules.
  const sup = new Supervisor({ launcher: o.launcher, clock: o.clock, startTimeoutMs: 120_000 })
  const machineOf = new Map<string, string>()
  sup.on('spawn', (c: { name: string; pid: number; logFile: string; restarts: number }) => {
    o.state.recordProcess({ name: c.name, machine: machineOf.get(c.name) ?? 'host', pid: c.pid, logFile: c.logFile, restarts: c.restarts })
  })
  const run = async (spec: ComponentSpec, netns: string | undefined): Promise<RegExpExecArray> => {
    const id = spec.machine === 'master' ? spec.name : `${spec.name} ${spec.machine}`
    machineOf.set(id, spec.machine)
    const r = await sup.start(id, spec.args, join(logs, `${id.replace(' ', '-')}.log`), new RegExp(spec.ready), {
      restart: true,
      ...(netns !== undefined ? { prefix: nsenterPrefix(netns) } : {}),
    })
    return r.match
  }
  try {
    const master = machines.find((m) => m.role === 'master')!
    const nodes = machines.filter((m) => m.role === 'node' && m.podCIDR !== undefined)
    const adminKubeconfig = join(o.stateDir, 'apiserver', 'admin.kubeconfig')
    const ctx = { settings: o.settings, stateDir: o.stateDir, kubeconfig: adminKubeconfig, proxyMode: o.proxyMode, lbAlgorithm: o.lbAlgorithm, netns: ns }
    const [api, cm, sched] = labComponents(ctx, master)
    const apiMatch = await run(api!, master.netns)
    say(`apiserver          ${apiMatch[1]} in ${master.netns}`)

    // Forwarders: one inside each machine serving unix sockets, one on the host serving loopback.
    const apiSock = join(sockets, 'api')
    const ports = await freePorts(1 + nodes.length)
    const hostMaps = [`tcp:127.0.0.1:${ports[0]}=unix:${apiSock}`]
    const forwards = [{ name: 'apiserver', listen: `127.0.0.1:${ports[0]}`, target: `${master.address}:${o.settings.apiServerPort}` }]
    const proxyMetrics: Record<string, string> = {}
    const inLab: Promise<RegExpExecArray>[] = [
      run(forwardSpec('forwarder', 'master', [`unix:${apiSock}=tcp:${master.address}:${o.settings.apiServerPort}`]), master.netns),
    ]
    nodes.forEach((n, i) => {
      const sock = join(sockets, `m-${n.name}`)
      inLab.push(run(forwardSpec('forwarder', n.name, [`unix:${sock}=tcp:${n.address}:${PROXY_METRICS_PORT}`]), n.netns))
      hostMaps.push(`tcp:127.0.0.1:${ports[i + 1]}=unix:${sock}`)
      forwards.push({ name: `proxy-metrics ${n.name}`, listen: `127.0.0.1:${ports[i + 1]}`, target: `${n.address}:${PROXY_METRICS_PORT}` })
      proxyMetrics[n.name] = `http://127.0.0.1:${ports[i + 1]}`
    })
    // Start in waves rather than all at once: on a busy 2-core machine a dozen node processes
    // loading modules together all miss their start timeout (measured), waves finish sooner.
    await Promise.all([...inLab, run(forwardSpec('forwarder', 'host', hostMaps), undefined)])
    const apiServerURL = `https://127.0.0.1:${ports[0]}`
    const kubeconfig = join(o.stateDir, 'kubeconfig')
    writeHostKubeconfig(adminKubeconfig, kubeconfig, apiServerURL)
    o.state.update((s) => {
      s.forwards = forwards
      s.apiServerURL = apiServerURL
      s.kubeconfig = kubeconfig
      s.proxyMetrics = proxyMetrics
    })
    say(`forwarder          ${apiServerURL} → ${master.address}:${o.settings.apiServerPort} (host loopback → unix socket → master)`)
    await Promise.all([run(cm!, master.netns), run(sched!, master.netns)])
    say('controller-manager and scheduler running on master')
    await Promise.all(
      nodes.map(async (n) => {
        for (const spec of labComponents(ctx, n)) await run(spec, n.netns)
      }),
    )
    say(`nodes              ${nodes.map((n) => `${n.name} ${n.address} pods ${n.podCIDR}`).join('; ')}; proxy ${o.proxyMode}`)
    return { supervisor: sup, apiServerURL, kubeconfig, proxyMetrics, stop: () => sup.stopAll() }
  } catch (err) {
    await sup.stopAll()
    throw err
  }
}

/** The spec of a `kplab forward` process. */
function forwardSpec(name: string, machine: string, maps: string[]): ComponentSpec {
  return { name, machine, args: ['forward', ...maps.flatMap((m) => ['--map', m])], ready: 'kplab forward ready' }
}

/** Copies the API server's admin kubeconfig with the server set to the host-side forwarder. */
export function writeHostKubeconfig(from: string, to: string, server: string): void {
  const doc = parse(readFileSync(from, 'utf8')) as { clusters?: { cluster?: { server?: string } }[] }
  for (const c of doc.clusters ?? []) if (c.cluster) c.cluster.server = server
  writeFileSync(to, stringify(doc), { mode: 0o600 })
}

/** Free loopback ports, found by listening on port 0 (all held until every one is known, so they differ). */
async function freePorts(n: number): Promise<number[]> {
  const servers = Array.from({ length: n }, () => createServer())
  const ports: number[] = []
  for (const s of servers) {
    s.listen(0, '127.0.0.1')
    await once(s, 'listening')
    ports.push((s.address() as AddressInfo).port)
  }
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))))
  return ports
}
