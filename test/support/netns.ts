// A fixture for kernel tests: a small lab network in fresh namespaces under a unique prefix,
// removed on teardown even when the test fails. Layout (DESIGN.md §4 addressing):
//
//   client (eth0 192.168.56.100/24) ── node (eth1 192.168.56.10/24, cbr0 10.244.1.1/24) ── podI (eth0 10.244.1.(1+I)/24)
//
// The node forwards (ip_forward, route_localnet) and is where a proxy's iptables rules go.
import { execFile, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import type { Test } from 'tap'
import { SpawnRunner } from '../../src/netns/exec.js'
import { listNamespaces } from '../../src/netns/namespace.js'
import { applyTopology, destroyByPrefix, destroyTopology, namespaceName, type Topology, type TopologyState } from '../../src/netns/topology.js'
import { hasCommand, isRoot, requireCapability } from './env.js'

/** What withNamespaces builds. */
export interface NamespacesSpec {
  /** Pod namespaces on the node's bridge (default 2). */
  pods?: number
  /** A client namespace linked to the node on the node network (default true). */
  client?: boolean
}

/** A namespace and its address. */
export interface NetnsHost {
  netns: string
  ip: string
}

/** The built lab network and its cleanup. */
export interface LabNet {
  prefix: string
  runner: SpawnRunner
  topology: Topology
  state: TopologyState
  /** The node namespace, addressed on the node network (eth1 192.168.56.10, with a client). */
  node: NetnsHost
  /** The node's bridge address, the pods' gateway (10.244.1.1). */
  bridgeIp: string
  pods: NetnsHost[]
  client: NetnsHost | undefined
  /**
   * Deletes the namespaces (idempotent; also run on teardown) and reports what a test should
   * assert: namespaces left under the prefix and whether the host's root iptables changed.
   */
  cleanup(): Promise<{ leftover: string[]; rootIptablesChanged: boolean }>
}

let counter = 0

/** The host's root-namespace iptables, without counters and timestamps (read-only). */
export function rootIptablesSnapshot(): string {
  const out = execFileSync('iptables-save', [], { encoding: 'utf8' })
  return out
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]/g, '[0:0]'))
    .join('\n')
}

/** The topology withNamespaces builds, for a prefix (exported so a pure test can plan it). */
export function fixtureTopology(prefix: string, spec: NamespacesSpec = {}): Topology {
  const pods = spec.pods ?? 2
  const topology: Topology = {
    prefix,
    namespaces: [{ name: 'node', forwarding: true, routeLocalnet: true }],
    bridges: [{ netns: 'node', name: 'cbr0', addresses: ['10.244.1.1/24'] }],
    veths: [],
    routes: [],
  }
  for (let i = 1; i <= pods; i++) {
    topology.namespaces.push({ name: `pod${i}` })
    topology.veths!.push({
      a: { netns: `pod${i}`, name: 'eth0', addresses: [`10.244.1.${1 + i}/24`] },
      b: { netns: 'node', name: `veth${i}`, master: 'cbr0' },
    })
    topology.routes!.push({ netns: `pod${i}`, to: 'default', via: '10.244.1.1' })
  }
  if (spec.client ?? true) {
    topology.namespaces.push({ name: 'client' })
    topology.veths!.push({
      a: { netns: 'client', name: 'eth0', addresses: ['192.168.56.100/24'] },
      b: { netns: 'node', name: 'eth1', addresses: ['192.168.56.10/24'] },
    })
    topology.routes!.push({ netns: 'client', to: 'default', via: '192.168.56.10' })
  }
  return topology
}

/**
 * Builds the lab network for a kernel test, or returns undefined (test skipped, or failed in CI)
 * when not root or `ip`/`iptables-restore` are missing.
 */
export async function withNamespaces(t: Test, spec: NamespacesSpec = {}): Promise<LabNet | undefined> {
  const ok = requireCapability(
    t,
    isRoot() && hasCommand('ip') && hasCommand('iptables-restore') && hasCommand('iptables-save'),
    'needs root, iproute2 (ip) and iptables to build network namespaces',
  )
  if (!ok) return undefined
  const prefix = `kplab-t${process.pid}-${++counter}-`
  const runner = new SpawnRunner()
  const before = rootIptablesSnapshot()
  const topology = fixtureTopology(prefix, spec)
  let state: TopologyState = { prefix, namespaces: [], links: [] }
  let done: Promise<{ leftover: string[]; rootIptablesChanged: boolean }> | undefined
  const cleanup = (): Promise<{ leftover: string[]; rootIptablesChanged: boolean }> => {
    done ??= (async () => {
      await destroyTopology(state, runner).catch(() => {})
      // The fallback catches anything created but not yet recorded when a step failed.
      await destroyByPrefix(prefix, runner).catch(() => {})
      return { leftover: await listNamespaces(runner, prefix), rootIptablesChanged: rootIptablesSnapshot() !== before }
    })()
    return done
  }
  t.teardown(async () => {
    await cleanup()
  })
  state = await applyTopology(topology, runner, {
    record: (s) => {
      state = s
    },
  })
  const pods = (spec.pods ?? 2) as number
  return {
    prefix,
    runner,
    topology,
    state,
    node: { netns: namespaceName(prefix, 'node'), ip: '192.168.56.10' },
    bridgeIp: '10.244.1.1',
    pods: Array.from({ length: pods }, (_, i) => ({ netns: namespaceName(prefix, `pod${i + 1}`), ip: `10.244.1.${2 + i}` })),
    client: (spec.client ?? true) ? { netns: namespaceName(prefix, 'client'), ip: '192.168.56.100' } : undefined,
    cleanup,
  }
}

/** A TCP server running in a namespace; it answers every connection with `name` and closes. */
export interface TcpServer {
  pid: number
  stop(): Promise<void>
}

/**
 * Starts `node` as a TCP server inside netns on port, resolving once it prints "listening"
 * (no sleeps); stopped by PID on teardown.
 */
export async function startTcpServer(t: Test, netns: string, port: number, name: string): Promise<TcpServer> {
  const script = `require('net').createServer((s) => { s.on('error', () => {}); s.end(${JSON.stringify(name)} + '\\n') })` +
    `.listen(${port}, '0.0.0.0', () => console.log('listening'))`
  const child = spawn('ip', ['netns', 'exec', netns, process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })
  let exited = false
  child.on('exit', () => {
    exited = true
  })
  const stop = async (): Promise<void> => {
    if (exited) return
    const gone = once(child, 'exit')
    child.kill('SIGTERM')
    await gone
  }
  t.teardown(stop)
  const lines = createInterface({ input: child.stdout })
  let stderr = ''
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()))
  await new Promise<void>((resolve, reject) => {
    lines.on('line', (l) => {
      if (l === 'listening') resolve()
    })
    child.on('exit', (code) => reject(new Error(`TCP server in ${netns} exited (${code}) before listening: ${stderr}`)))
  })
  return { pid: child.pid!, stop }
}

/** Connects from inside netns to ip:port and resolves with what the server sent (5 s timeout in the client). */
export function tcpRequest(netns: string, ip: string, port: number): Promise<string> {
  const script = `const s = require('net').connect(${port}, ${JSON.stringify(ip)}); let d = '';` +
    ` s.setTimeout(5000, () => { console.error('timeout'); process.exit(2) });` +
    ` s.on('data', (b) => (d += b)); s.on('end', () => process.stdout.write(d)); s.on('error', (e) => { console.error(e.message); process.exit(1) })`
  return new Promise((resolve, reject) => {
    execFile('ip', ['netns', 'exec', netns, process.execPath, '-e', script], { encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`TCP ${ip}:${port} from ${netns} failed: ${stderr.trim() || err.message}`))
      else resolve(stdout)
    })
  })
}
