// One pod on this node: its sandbox (address, maybe a namespace), one ContainerProcess per
// container with its probes, the record that lets a restarted kubelet adopt it, and its status
// written (coalesced, no-op writes dropped) through the status subresource.
// upstream: pkg/kubelet/pod_workers.go (one worker per pod: sync, terminating, terminated)
import { EventEmitter } from 'node:events'
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { deepEqual, rfc3339 } from '../api/object.js'
import { RESOURCES } from '../api/registry.js'
import type { Pod, PodStatus } from '../api/types.js'
import type { Clock } from '../base/clock.js'
import type { Logger } from '../base/logger.js'
import type { RestClient } from '../client/rest-client.js'
import { containerEnv, expandCommand } from './container-env.js'
import { containerLogPath } from './logs.js'
import type { PodNetwork, PodSandbox } from './network/network.js'
import { ProbeWorker } from './probes.js'
import { resolveImage } from './runtime/images.js'
import { ContainerProcess, type ContainerRecord, type ExitInfo, type ProcessPort } from './runtime/process.js'
import { computePodStatus, type ContainerView } from './status.js'

const PODS = RESOURCES.find((r) => r.plural === 'pods')!

/** What survives a kubelet restart for one pod (`ROOT/pods/UID/state.json`). */
export interface PodRecord {
  uid: string
  namespace: string
  name: string
  podIP?: string
  netns?: string
  startTime: string
  containers: Record<string, ContainerRecord>
}

/** What every pod worker of a kubelet shares. */
export interface PodWorkerDeps {
  client: RestClient
  clock: Clock
  nodeName: string
  hostIP: string
  rootDir: string
  network: PodNetwork
  processes: ProcessPort
  execPath: string
  pathEnv: string
  logger: Logger
  /** The node's namespace (netns mode), where hostNetwork pods run. */
  hostNetns?: string
}

/** The state file of a pod. */
export function podStatePath(rootDir: string, uid: string): string {
  return join(rootDir, 'pods', uid, 'state.json')
}

interface Slot {
  proc: ContainerProcess
  image: string
  readiness?: ProbeWorker
  liveness?: ProbeWorker
}

/**
 * Runs one pod. Events: 'status' (PodStatus) after each write, 'terminated' once stopped and
 * cleaned up, 'started' (container, pid), 'exited' (container, ExitInfo), 'probe' (container, kind, result).
 */
export class PodWorker extends EventEmitter {
  private readonly slots = new Map<string, Slot>()
  private sandbox: PodSandbox | undefined
  private startTime: string
  private writing = false
  private dirty = false
  private lastWritten: PodStatus | undefined
  /** The status as the API server stored our last write. */
  private serverStatus: PodStatus | undefined
  private terminating: Promise<void> | undefined
  private stopped = false

  constructor(
    public pod: Pod,
    private readonly deps: PodWorkerDeps,
    private readonly adopt?: PodRecord,
  ) {
    super()
    this.startTime = adopt?.startTime ?? rfc3339(deps.clock.now())
  }

  /** `namespace/name`. */
  get key(): string {
    return `${this.pod.metadata.namespace}/${this.pod.metadata.name}`
  }

  /** The container's log file, when the container exists here. */
  logPath(container: string): string | undefined {
    return this.slots.has(container) ? containerLogPath(this.deps.rootDir, this.pod.metadata.uid!, container) : undefined
  }

  /** Every running container's PID (tests clean up by PID). */
  pids(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const [n, s] of this.slots) if (s.proc.pid !== undefined) out[n] = s.proc.pid
    return out
  }

  /** Restart counts by container. */
  restartCounts(): Record<string, number> {
    return Object.fromEntries([...this.slots].map(([n, s]) => [n, s.proc.restartCount]))
  }

  /** Sets up the sandbox and starts (or adopts) every container. */
  async start(): Promise<void> {
    const { deps, pod } = this
    const uid = pod.metadata.uid!
    try {
      // hostNetwork: the node's own address and namespace, no sandbox of its own.
      this.sandbox = pod.spec.hostNetwork
        ? { podIP: deps.hostIP, netns: deps.hostNetns, bindAddress: deps.hostIP }
        : await deps.network.setup({ uid, namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name! })
    } catch (e) {
      deps.logger.error({ pod: this.key, err: (e as Error).message }, 'pod network setup failed')
      for (const c of pod.spec.containers) {
        const proc = new ContainerProcess({ name: c.name, podRef: this.podRef(), restartPolicy: 'Never', clock: deps.clock, port: deps.processes, spec: () => { throw e } })
        proc.setWaiting('ContainerCreating', `pod network setup failed: ${(e as Error).message}`)
        this.slots.set(c.name, { proc, image: c.image ?? '' })
      }
      this.requestStatus()
      return
    }
    mkdirSync(join(deps.rootDir, 'pods', uid, 'logs'), { recursive: true })
    for (const c of pod.spec.containers) {
      const env = containerEnv(c, { pod, nodeName: deps.nodeName, podIP: this.sandbox.podIP, hostIP: deps.hostIP, bindAddress: this.sandbox.bindAddress, pathEnv: deps.pathEnv })
      const resolved = resolveImage({ image: c.image, ...expandCommand(c, env) }, { pathEnv: deps.pathEnv, nodeExecPath: deps.execPath })
      const sandbox = this.sandbox
      const proc = new ContainerProcess({
        name: c.name,
        podRef: this.podRef(),
        restartPolicy: pod.spec.restartPolicy ?? 'Always',
        clock: deps.clock,
        port: deps.processes,
        adopt: this.adopt?.containers[c.name],
        spec: () => {
          if (!resolved.ok) throw new Error(resolved.message)
          return { cmd: resolved.cmd, args: resolved.args, env, cwd: c.workingDir, netns: sandbox.netns, logPath: containerLogPath(deps.rootDir, uid, c.name) }
        },
      })
      const slot: Slot = { proc, image: resolved.ok ? resolved.image : (c.image ?? '') }
      this.slots.set(c.name, slot)
      proc.on('change', () => {
        this.saveRecord()
        this.requestStatus()
      })
      proc.on('started', (pid: number) => {
        this.startProbes(c.name, slot)
        this.emit('started', c.name, pid)
      })
      proc.on('exited', (exit: ExitInfo) => {
        this.stopProbes(slot)
        this.emit('exited', c.name, exit)
      })
      if (!resolved.ok) {
        proc.setWaiting(resolved.reason, resolved.message)
        continue
      }
      await proc.start()
    }
    this.requestStatus()
  }

  /** Takes a newer version of the pod from the informer; a deletionTimestamp starts termination. */
  update(pod: Pod): void {
    this.pod = pod
    // Someone else rewrote the status (e.g. node lifecycle marking it not ready): assert ours again.
    // upstream: pkg/kubelet/status/status_manager.go (needsReconcile)
    if (this.serverStatus && !deepEqual(pod.status, this.serverStatus)) {
      this.serverStatus = undefined
      this.lastWritten = undefined
      this.requestStatus()
    }
    if (pod.metadata.deletionTimestamp) void this.terminate(pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30, true)
  }

  /**
   * Stops every container (SIGTERM, SIGKILL after grace), releases the network, removes the state,
   * and, when the API object still exists, deletes it for good (grace 0) as upstream's status manager does.
   */
  terminate(graceSeconds: number, deleteFromApi: boolean): Promise<void> {
    this.terminating ??= (async () => {
      await Promise.all([...this.slots.values()].map(async (s) => {
        this.stopProbes(s)
        await s.proc.stop(graceSeconds)
      }))
      this.stopped = true
      const uid = this.pod.metadata.uid!
      if (!this.pod.spec.hostNetwork) await this.deps.network.teardown(uid).catch((e: Error) => this.deps.logger.error({ pod: this.key, err: e.message }, 'pod network teardown failed'))
      rmSync(join(this.deps.rootDir, 'pods', uid), { recursive: true, force: true })
      if (deleteFromApi) {
        await this.deps.client
          .delete(PODS, this.pod.metadata.namespace, this.pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid } })
          .catch((e: Error) => this.deps.logger.debug({ pod: this.key, err: e.message }, 'final pod delete failed (already gone?)'))
      }
      this.emit('terminated')
    })()
    return this.terminating
  }

  /** Stops watching without touching the processes (a kubelet shutting down leaves pods running). */
  detach(): void {
    this.stopped = true
    for (const s of this.slots.values()) {
      this.stopProbes(s)
      s.proc.detach()
    }
  }

  private podRef(): string {
    const m = this.pod.metadata
    return `${m.name}_${m.namespace}(${m.uid})`
  }

  private startProbes(name: string, slot: Slot): void {
    this.stopProbes(slot)
    const c = this.pod.spec.containers.find((x) => x.name === name)
    if (!c) return
    const target = () => ({ podIP: this.sandbox?.podIP ?? '', netns: this.sandbox?.netns, ports: c.ports, env: { PATH: this.deps.pathEnv } })
    if (c.readinessProbe) {
      slot.readiness = new ProbeWorker({ kind: 'readiness', probe: c.readinessProbe, target, clock: this.deps.clock, execPath: this.deps.execPath })
      slot.readiness.on('change', () => this.requestStatus())
      slot.readiness.on('result', (r) => this.emit('probe', name, 'readiness', r))
      slot.readiness.start()
    }
    if (c.livenessProbe) {
      slot.liveness = new ProbeWorker({ kind: 'liveness', probe: c.livenessProbe, target, clock: this.deps.clock, execPath: this.deps.execPath })
      slot.liveness.on('change', (healthy: boolean, r: { message?: string }) => {
        if (!healthy) slot.proc.restartForLiveness(`Container ${name} failed liveness probe, will be restarted: ${r.message ?? ''}`)
      })
      slot.liveness.on('result', (r) => this.emit('probe', name, 'liveness', r))
      slot.liveness.start()
    }
  }

  private stopProbes(slot: Slot): void {
    slot.readiness?.stop()
    slot.liveness?.stop()
    slot.readiness = undefined
    slot.liveness = undefined
  }

  private saveRecord(): void {
    if (this.stopped || !this.sandbox) return
    const m = this.pod.metadata
    const rec: PodRecord = { uid: m.uid!, namespace: m.namespace ?? 'default', name: m.name!, podIP: this.sandbox.podIP, netns: this.sandbox.netns, startTime: this.startTime, containers: {} }
    for (const [n, s] of this.slots) {
      const r = s.proc.record()
      if (r) rec.containers[n] = r
    }
    const file = podStatePath(this.deps.rootDir, m.uid!)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(`${file}.tmp`, JSON.stringify(rec, null, 2))
    renameSync(`${file}.tmp`, file)
  }

  private views(): ContainerView[] {
    return this.pod.spec.containers.map((c) => {
      const s = this.slots.get(c.name)
      if (!s) return { name: c.name, image: c.image ?? '', state: { waiting: { reason: 'ContainerCreating' } }, restartCount: 0, ready: false }
      const running = !!s.proc.state.running
      const ready = running && (c.readinessProbe ? (s.readiness?.healthy ?? false) : true)
      const v: ContainerView = { name: c.name, image: s.image, state: s.proc.state, lastState: s.proc.lastState, restartCount: s.proc.restartCount, ready }
      if (s.proc.pid !== undefined) v.pid = s.proc.pid
      return v
    })
  }

  /** Schedules a status write; writes coalesce and one identical to the last is skipped. */
  requestStatus(): void {
    if (this.stopped) return
    if (this.writing) {
      this.dirty = true
      return
    }
    this.writing = true
    void this.writeStatus().finally(() => {
      this.writing = false
      if (this.dirty && !this.stopped) {
        this.dirty = false
        this.requestStatus()
      }
    })
  }

  private async writeStatus(): Promise<void> {
    const status = computePodStatus(this.pod, { containers: this.views(), podIP: this.sandbox?.podIP, hostIP: this.deps.hostIP, startTime: this.startTime, now: rfc3339(this.deps.clock.now()) })
    if (this.lastWritten && deepEqual(this.lastWritten, status)) return
    try {
      const m = this.pod.metadata
      const updated = await this.deps.client.patch<Pod>(PODS, m.namespace, m.name!, { status }, 'application/merge-patch+json', { subresource: 'status' })
      if (updated.metadata.uid === m.uid) this.pod = { ...this.pod, status: updated.status }
      this.lastWritten = status
      this.serverStatus = updated.status
      this.emit('status', status)
    } catch (e) {
      this.deps.logger.warn({ pod: this.key, err: (e as Error).message }, 'pod status write failed')
    }
  }
}
