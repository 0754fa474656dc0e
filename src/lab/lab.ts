// `kplab up` / `down` / attach: picks the mode (netns when root on Linux with ip, iptables and
// nsenter; local otherwise), records everything in the state file, waits for every node to be
// Ready, and hands out a LabHandle that other commands (curl, experiment) use to reach the lab.
import { rmSync, existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { platform } from 'node:os'
import type { Clock } from '../base/clock.js'
import { KplabError, UsageError } from '../base/errors.js'
import { resourceFor } from '../api/registry.js'
import type { KubeObject } from '../api/meta.js'
import { loadKubeconfig } from '../client/kubeconfig.js'
import { RestClient } from '../client/rest-client.js'
import { SpawnRunner, type CommandRunner } from '../netns/exec.js'
import { listNamespaces } from '../netns/namespace.js'
import { destroyByPrefix } from '../netns/topology.js'
import { assertLabName, isSameProcess, labPrefix, labStateDir, LabStateFile, readLabState, signalRecorded, type LabState, type ProcessRecord } from './lab-state.js'
import { startLocalCluster } from './local-cluster.js'
import { startNetnsCluster, type RunningCluster } from './netns-cluster.js'
import { loadLabSettings } from './settings.js'
import { keepAlive, type CliLauncher, type Component } from './supervisor.js'

export { keepAlive }

/** A running lab, as `kplab up` made it or `openLab` found it. */
export interface LabHandle {
  name: string
  mode: 'netns' | 'local'
  /** `<stateRoot>/<name>`. */
  stateDir: string
  /** Works from the host (through the loopback forwarder in netns mode). */
  kubeconfig: string
  apiServerURL: string
  /** 'node1', 'node2', … */
  nodes: string[]
  /** Runs argv to completion inside a machine ('master', 'node1', …, 'client'): in its namespace (netns) or on the host (local). */
  exec(machine: string, argv: string[], opts?: { input?: string; timeoutMs?: number }): Promise<{ stdout: string; stderr: string; code: number }>
  /** argv prefix that runs a command inside a machine (['ip','netns','exec','kplab-lab-client']; [] in local mode). */
  execPrefix(machine: string): string[]
  /** Base URL of a node's proxy metrics server (/stats, /ports, /metrics), reachable from the host. */
  proxyMetricsURL(node: string): string
  /** Local mode: the loopback address:port of the userspace proxy's listener for a Service port; netns mode: ClusterIP:port. */
  serviceAddress(namespace: string, service: string, port: string | number): Promise<string>
  /** Freezes a node's kubelet (SIGSTOP): its pods keep running, its heartbeats stop, as a kubelet that hangs. */
  stopKubelet(node: string): Promise<void>
  /** Lets a frozen kubelet go on (SIGCONT). */
  resumeKubelet(node: string): Promise<void>
}

/** A lab this process brought up and supervises. */
export interface RunningLab extends LabHandle {
  /** Why this mode was chosen (printed by `kplab up`). */
  modeReason: string
  /** Stops every component and removes everything the lab created (the state directory too). */
  down(): Promise<{ removed: string[] }>
}

/** Options of upLab. */
export interface UpOptions {
  name: string
  nodes?: number
  proxyMode?: 'iptables' | 'userspace'
  lbAlgorithm?: string
  mode?: 'netns' | 'local'
  settingsFile?: string
  stateRoot: string
  launcher: CliLauncher
  clock: Clock
  onProgress?: (line: string) => void
  /** Runs ip/iptables (default: the real one). */
  runner?: CommandRunner
  /** Milliseconds to wait for every node to be Ready (default 60 s). */
  readyTimeoutMs?: number
}

/** What openLab and downLab need. */
export interface LabDeps {
  clock: Clock
  runner?: CommandRunner
}

const here = dirname(fileURLToPath(import.meta.url))
/** lab/settings.yaml of this checkout (src/lab or dist/lab → the repository root). */
export const DEFAULT_SETTINGS_FILE = resolve(here, '..', '..', 'lab', 'settings.yaml')

/** Decides the mode: the requested one (netns refused with the reason when impossible) or the best available. */
export async function chooseMode(requested: 'netns' | 'local' | undefined, runner: CommandRunner): Promise<{ mode: 'netns' | 'local'; reason: string }> {
  const missing: string[] = []
  if (platform() !== 'linux') missing.push('not Linux')
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) missing.push('not root')
  if (missing.length === 0) {
    for (const [cmd, args] of [['ip', ['-V']], ['iptables', ['--version']], ['nsenter', ['--version']]] as const) {
      const r = await runner.run(cmd, args, { allowFailure: true }).catch(() => ({ code: 127 }))
      if (r.code !== 0) missing.push(`no ${cmd}`)
    }
  }
  if (requested === 'local') return { mode: 'local', reason: 'local mode (--mode local): every component a process on this host, pods on loopback addresses, userspace proxy' }
  if (missing.length === 0) return { mode: 'netns', reason: 'netns mode: root on Linux with ip, iptables and nsenter; a network namespace per machine' }
  if (requested === 'netns') throw new UsageError(`--mode netns needs root on Linux with ip, iptables and nsenter (${missing.join(', ')}); use --mode local`)
  return { mode: 'local', reason: `local mode (${missing.join(', ')}): every component a process on this host, pods on loopback addresses, userspace proxy` }
}

/** Brings a lab up and waits until every node is Ready; on failure removes what it made. */
export async function upLab(o: UpOptions): Promise<RunningLab> {
  assertLabName(o.name)
  const runner = o.runner ?? new SpawnRunner()
  const stateDir = labStateDir(o.stateRoot, o.name)
  const old = readLabState(stateDir)
  if (old?.supervisor && isSameProcess(old.supervisor) && old.supervisor.pid !== process.pid) {
    throw new UsageError(`lab "${o.name}" is already running (pid ${old.supervisor.pid}): use it, or run kplab down --name ${o.name} first`)
  }
  // Leftovers of a crashed lab of the same name go first, so the new one starts clean.
  if (old !== undefined) await downLab(o.name, o.stateRoot, { clock: o.clock, runner }).catch(() => {})
  const settings = loadLabSettings(o.settingsFile ?? DEFAULT_SETTINGS_FILE)
  const nodes = o.nodes ?? settings.nodes
  const { mode, reason } = await chooseMode(o.mode, runner)
  const say = o.onProgress ?? (() => {})
  say(reason)
  const proxyMode = o.proxyMode ?? (mode === 'netns' ? 'iptables' : 'userspace')
  if (mode === 'local' && proxyMode === 'iptables') throw new UsageError('--proxy-mode iptables needs the netns mode (root on Linux); use --proxy-mode userspace')
  const lbAlgorithm = o.lbAlgorithm ?? 'round-robin'
  const state = new LabStateFile({
    version: 1,
    name: o.name,
    mode,
    stateDir,
    phase: 'starting',
    createdAt: o.clock.now(),
    proxyMode,
    lbAlgorithm,
    namespaces: [],
    supervisor: { name: 'supervisor', machine: 'host', pid: process.pid },
    processes: [],
    forwards: [],
    nodes: [],
    machines: {},
    proxyMetrics: {},
  })
  state.recordProcess(state.state.supervisor!)
  state.update((s) => {
    s.supervisor = s.processes.pop()
  })
  let cluster: RunningCluster | undefined
  try {
    if (mode === 'netns') {
      cluster = await startNetnsCluster({ name: o.name, stateDir, settings, nodes, proxyMode, lbAlgorithm, launcher: o.launcher, clock: o.clock, runner, state, onProgress: say })
    } else {
      const local = await startLocalCluster({
        stateDir,
        nodes,
        launcher: o.launcher,
        clock: o.clock,
        lbAlgorithm,
        nodePrefix: 'node',
        restart: true,
        onProgress: say,
        onSpawn: (c: Component) => state.recordProcess({ name: c.name, machine: 'host', pid: c.pid, logFile: c.logFile, restarts: c.restarts }),
      })
      cluster = { supervisor: local.supervisor, apiServerURL: local.apiServerURL, kubeconfig: local.kubeconfig, proxyMetrics: { node1: local.proxyMetricsURL }, stop: local.stop }
      state.update((s) => {
        s.apiServerURL = local.apiServerURL
        s.kubeconfig = local.kubeconfig
        s.proxyMetrics = { node1: local.proxyMetricsURL }
        s.machines = Object.fromEntries([['master', '127.0.0.1'], ...Array.from({ length: nodes }, (_, i) => [`node${i + 1}`, '127.0.0.1'])])
      })
    }
    const nodeNames = Array.from({ length: nodes }, (_, i) => `node${i + 1}`)
    state.update((s) => {
      s.nodes = nodeNames
    })
    await waitForNodesReady(cluster.kubeconfig, nodeNames, o.clock, o.readyTimeoutMs ?? 60_000)
    state.update((s) => {
      s.phase = 'ready'
    })
    say(`ready              ${nodeNames.join(', ')} Ready`)
  } catch (err) {
    await cluster?.stop().catch(() => {})
    await downLab(o.name, o.stateRoot, { clock: o.clock, runner }).catch(() => {})
    throw err
  }
  const running = cluster
  const handle = labHandle(state.state, runner, o.clock)
  return {
    ...handle,
    modeReason: reason,
    down: async () => {
      await running.stop()
      return downLab(o.name, o.stateRoot, { clock: o.clock, runner })
    },
  }
}

/** Attaches to a running lab from its state file; throws `lab "x" is not running` when there is none. */
export async function openLab(name: string, stateRoot: string, deps: LabDeps): Promise<LabHandle> {
  const state = readLabState(labStateDir(stateRoot, name))
  if (!state || !state.supervisor || !isSameProcess(state.supervisor)) throw new UsageError(`lab "${name}" is not running: run kplab up --name ${name}`)
  if (state.phase !== 'ready') throw new UsageError(`lab "${name}" is still ${state.phase}: wait for kplab up to finish`)
  return labHandle(state, deps.runner ?? new SpawnRunner(), deps.clock)
}

/** Reads a lab's state without requiring it to run (for `kplab status`). */
export function labStatus(name: string, stateRoot: string): { state: LabState | undefined; running: boolean; processes: (ProcessRecord & { up: boolean })[] } {
  const state = readLabState(labStateDir(stateRoot, name))
  const running = state?.supervisor !== undefined && isSameProcess(state.supervisor)
  return { state, running, processes: (state?.processes ?? []).map((p) => ({ ...p, up: isSameProcess(p) })) }
}

/**
 * Stops a lab and removes what it made: the supervising `up` (SIGTERM, it cleans up itself), then
 * every recorded process still the same process, the processes inside the lab's namespaces, the
 * namespaces (recorded ones and any left under the lab's prefix), and the state directory.
 */
export async function downLab(name: string, stateRoot: string, deps: LabDeps): Promise<{ removed: string[] }> {
  const release = keepAlive()
  try {
    return await removeLab(name, stateRoot, deps)
  } finally {
    release()
  }
}

async function removeLab(name: string, stateRoot: string, deps: LabDeps): Promise<{ removed: string[] }> {
  const stateDir = labStateDir(stateRoot, name)
  const runner = deps.runner ?? new SpawnRunner()
  const state = readLabState(stateDir)
  const removed: string[] = []
  if (state?.supervisor && state.supervisor.pid !== process.pid && signalRecorded(state.supervisor, 'SIGTERM')) {
    removed.push(`process supervisor (pid ${state.supervisor.pid})`)
    await waitGone([state.supervisor], deps.clock, 20_000)
  }
  const live = (readLabState(stateDir)?.processes ?? state?.processes ?? []).filter((p) => signalRecorded(p, 'SIGTERM'))
  for (const p of live) removed.push(`process ${p.name} (pid ${p.pid})`)
  await waitGone(live, deps.clock, 5_000)
  const prefix = state?.prefix ?? labPrefix(name)
  const canNetns = state?.mode === 'netns' || (typeof process.getuid === 'function' && process.getuid() === 0 && platform() === 'linux')
  if (canNetns) {
    const names = new Set([...(state?.namespaces ?? []), ...(await listNamespaces(runner, prefix).catch(() => [] as string[]))])
    for (const ns of names) {
      // Pods (and components whose supervisor died) still inside the lab's namespaces hold them
      // alive after `ip netns delete`; every process in them belongs to the lab.
      const r = await runner.run('ip', ['netns', 'pids', ns], { allowFailure: true })
      for (const pid of r.stdout.split('\n').map(Number).filter((n) => Number.isInteger(n) && n > 1 && n !== process.pid)) {
        try {
          process.kill(pid, 'SIGKILL')
          removed.push(`process ${pid} in ${ns}`)
        } catch {
          // already gone
        }
      }
    }
    const existing = await listNamespaces(runner, prefix).catch(() => [] as string[])
    if (existing.length > 0) removed.push(...(await destroyByPrefix(prefix, runner)).map((n) => `netns ${n}`))
  }
  const sockets = state?.socketDir
  // Only a directory this lab named for itself (see socketDir in netns-cluster.ts).
  if (sockets !== undefined && (sockets.startsWith(stateDir) || sockets.endsWith(`/kplab-${name}-s`)) && existsSync(sockets)) {
    rmSync(sockets, { recursive: true, force: true })
    if (!sockets.startsWith(stateDir)) removed.push(sockets)
  }
  if (existsSync(stateDir)) {
    rmSync(stateDir, { recursive: true, force: true })
    removed.push(stateDir)
  }
  if (removed.length === 0) throw new UsageError(`lab "${name}" is not running: run kplab up --name ${name}`)
  return { removed }
}

/** Waits until none of the processes is the recorded one any more; SIGKILLs the rest after timeoutMs. */
async function waitGone(procs: ProcessRecord[], clock: Clock, timeoutMs: number): Promise<void> {
  const deadline = clock.now() + timeoutMs
  while (procs.some(isSameProcess)) {
    if (clock.now() > deadline) {
      for (const p of procs) signalRecorded(p, 'SIGKILL')
      return
    }
    // No exit event exists for a process that is not our child: poll its /proc entry.
    await clock.sleep(100)
  }
}

/** Waits (list + watch) until every named node has condition Ready=True. */
export async function waitForNodesReady(kubeconfig: string, nodes: string[], clock: Clock, timeoutMs: number): Promise<void> {
  const NODES = resourceFor('', 'v1', 'nodes')!
  const client = new RestClient(loadKubeconfig({ explicitPath: kubeconfig }), { userAgent: 'kplab-up/0.1.0' })
  const ac = new AbortController()
  const timer = clock.setTimeout(() => ac.abort(new KplabError('ELAB', `nodes not Ready after ${timeoutMs} ms (want ${nodes.join(', ')}); see the kubelet logs`)), timeoutMs)
  const ready = new Map<string, boolean>()
  const isReady = (n: KubeObject): boolean =>
    ((n as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
  const done = (): boolean => nodes.every((n) => ready.get(n))
  try {
    for (;;) {
      const list = await client.list(NODES, { signal: ac.signal })
      for (const n of list.items) ready.set(n.metadata.name!, isReady(n))
      if (done()) return
      for await (const ev of client.watch(NODES, { resourceVersion: list.metadata.resourceVersion, signal: ac.signal })) {
        if (ev.type === 'ADDED' || ev.type === 'MODIFIED') ready.set(ev.object.metadata.name!, isReady(ev.object))
        if (done()) return
      }
      if (ac.signal.aborted) throw ac.signal.reason
    }
  } catch (e) {
    throw ac.signal.aborted ? ac.signal.reason : e
  } finally {
    clock.clearTimeout(timer)
    ac.abort()
    client.close()
  }
}

/** Signals a node's kubelet as recorded now (a restarted kubelet has a new pid). */
function signalKubelet(state: LabState, node: string, signal: NodeJS.Signals): void {
  const current = readLabState(state.stateDir) ?? state
  const rec = current.processes.find((p) => p.name.startsWith('kubelet') && (p.machine === node || p.name === `kubelet ${node}`))
  if (!rec || !signalRecorded(rec, signal)) throw new UsageError(`no running kubelet of "${node}" in lab "${state.name}": use one of ${state.nodes.join(', ')}`)
}

function labHandle(state: LabState, runner: CommandRunner, clock: Clock): LabHandle {
  const machineNetns = (machine: string): string | undefined => {
    if (!(machine in state.machines) && machine !== 'client') {
      throw new UsageError(`unknown machine "${machine}" in lab "${state.name}": use one of ${[...Object.keys(state.machines)].join(', ')}`)
    }
    return state.mode === 'netns' ? `${state.prefix}${machine}` : undefined
  }
  const proxyMetricsURL = (node: string): string => {
    const url = state.proxyMetrics[node] ?? (state.mode === 'local' ? state.proxyMetrics.node1 : undefined)
    if (url === undefined) throw new UsageError(`no proxy metrics for "${node}" in lab "${state.name}": use one of ${state.nodes.join(', ')}`)
    return url
  }
  return {
    name: state.name,
    mode: state.mode,
    stateDir: state.stateDir,
    kubeconfig: state.kubeconfig!,
    apiServerURL: state.apiServerURL!,
    nodes: [...state.nodes],
    execPrefix: (machine) => {
      const ns = machineNetns(machine)
      return ns === undefined ? [] : ['ip', 'netns', 'exec', ns]
    },
    exec: async (machine, argv, opts = {}) => {
      if (argv.length === 0) throw new UsageError('exec needs a command: kplab exec NODE -- CMD [ARGS…]')
      const ns = machineNetns(machine)
      const ac = new AbortController()
      const timer = opts.timeoutMs !== undefined ? clock.setTimeout(() => ac.abort(), opts.timeoutMs) : undefined
      try {
        return await runner.run(argv[0]!, argv.slice(1), { allowFailure: true, signal: ac.signal, ...(ns !== undefined ? { netns: ns } : {}), ...(opts.input !== undefined ? { input: opts.input } : {}) })
      } finally {
        clock.clearTimeout(timer)
      }
    },
    proxyMetricsURL,
    stopKubelet: async (node) => signalKubelet(state, node, 'SIGSTOP'),
    resumeKubelet: async (node) => signalKubelet(state, node, 'SIGCONT'),
    serviceAddress: async (namespace, service, port) => {
      const client = new RestClient(loadKubeconfig({ explicitPath: state.kubeconfig! }), { userAgent: 'kplab-lab/0.1.0' })
      try {
        const svc = (await client.get(resourceFor('', 'v1', 'services')!, namespace, service)) as KubeObject & { spec?: { clusterIP?: string; ports?: { name?: string; port: number }[] } }
        const p = (svc.spec?.ports ?? []).find((x) => String(x.port) === String(port) || x.name === String(port))
        if (!p) throw new UsageError(`service ${namespace}/${service} has no port ${port}: it has ${(svc.spec?.ports ?? []).map((x) => x.name ?? x.port).join(', ')}`)
        if (state.mode === 'netns') return `${svc.spec!.clusterIP}:${p.port}`
        const res = await fetch(`${proxyMetricsURL('node1')}/ports`)
        const ports = (await res.json()) as { servicePort: string; proxyPort: number }[]
        const want = [`${namespace}/${service}:${p.name ?? ''}`, `${namespace}/${service}`]
        const hit = ports.find((x) => want.includes(x.servicePort))
        if (!hit) throw new UsageError(`the userspace proxy has no listener for ${namespace}/${service} port ${port} yet; retry in a moment`)
        return `127.0.0.1:${hit.proxyPort}`
      } finally {
        client.close()
      }
    },
  }
}
