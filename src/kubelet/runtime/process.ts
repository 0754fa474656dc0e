// The process runtime: a container is a process (group) spawned with its env, args and working
// directory, its stdout and stderr going straight to a log file (so it outlives a kubelet restart,
// as a container outlives its kubelet under a CRI runtime), stopped with SIGTERM then SIGKILL after
// the grace period, and restarted per restartPolicy with CrashLoopBackOff on the injected clock.
import { spawn } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { rfc3339 } from '../../api/object.js'
import type { Clock, TimerHandle } from '../../base/clock.js'

/** How to spawn one container process. */
export interface SpawnSpec {
  cmd: string
  args: string[]
  env: Record<string, string>
  cwd?: string
  /** Run inside this named network namespace (`ip netns exec`); undefined: the kubelet's own. */
  netns?: string
  /** Where stdout and stderr go (appended). */
  logPath: string
}

/** How a process ended. */
export interface ExitInfo {
  code: number | null
  signal: NodeJS.Signals | null
}

/** A running process the runtime watches. */
export interface ProcessHandle {
  pid: number
  /** Kernel start time of the process (clock ticks since boot), to tell a reused PID from ours. */
  startTicks?: number
  exited: Promise<ExitInfo>
}

/** The side-effect port for processes: spawn, adopt by PID, signal a process group. */
export interface ProcessPort {
  spawn(spec: SpawnSpec): Promise<ProcessHandle>
  /** Takes over a process started by an earlier kubelet; undefined when it is gone (or the PID was reused). */
  adopt(pid: number, startTicks: number | undefined): ProcessHandle | undefined
  /** Signals the process group (the container and anything it forked). */
  kill(pid: number, signal: NodeJS.Signals): void
}

/** Reads a process's start time (field 22 of /proc/PID/stat); undefined off Linux or when gone. */
export function processStartTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ")".
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(rest[19])
  } catch {
    return undefined
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The real process port; adopted processes (not our children) are polled for exit on the clock. */
export class NodeProcessPort implements ProcessPort {
  /** unref: spawned children do not keep the kubelet's event loop alive (it may exit, pods stay). */
  constructor(private readonly clock: Clock, private readonly pollMs = 1000, private readonly unref = true) {}

  spawn(spec: SpawnSpec): Promise<ProcessHandle> {
    const fd = openSync(spec.logPath, 'a')
    const [cmd, args] = spec.netns ? ['ip', ['netns', 'exec', spec.netns, spec.cmd, ...spec.args]] : [spec.cmd, spec.args]
    return new Promise((resolve, reject) => {
      // detached: its own process group, so the kubelet's Ctrl-C does not reach pods and a group
      // kill reaches whatever the container forked.
      const child = spawn(cmd!, args as string[], { detached: true, stdio: ['ignore', fd, fd], env: spec.env, cwd: spec.cwd })
      closeSync(fd)
      const exited = new Promise<ExitInfo>((res) => child.once('exit', (code, signal) => res({ code, signal })))
      child.once('error', reject)
      child.once('spawn', () => {
        if (this.unref) child.unref()
        resolve({ pid: child.pid!, startTicks: processStartTicks(child.pid!), exited })
      })
    })
  }

  adopt(pid: number, startTicks: number | undefined): ProcessHandle | undefined {
    if (!alive(pid)) return undefined
    const now = processStartTicks(pid)
    if (startTicks !== undefined && now !== undefined && now !== startTicks) return undefined
    const exited = new Promise<ExitInfo>((resolve) => {
      const timer = this.clock.setInterval(() => {
        if (alive(pid) && processStartTicks(pid) === now) return
        this.clock.clearInterval(timer)
        // Not our child: its exit status is lost; report it as unknown (upstream reports exit 137 "Error").
        resolve({ code: null, signal: null })
      }, this.pollMs)
    })
    return { pid, startTicks: now, exited }
  }

  kill(pid: number, signal: NodeJS.Signals): void {
    try {
      process.kill(-pid, signal)
    } catch {
      try {
        process.kill(pid, signal)
      } catch {
        // Already gone: nothing to stop.
      }
    }
  }
}

/** A container's state as the kubelet reports it (containerStatuses[].state). */
export interface ContainerRuntimeState {
  running?: { startedAt: string }
  waiting?: { reason: string; message?: string }
  terminated?: { exitCode: number; signal?: number; reason: string; message?: string; startedAt?: string; finishedAt: string }
}

/** What survives a kubelet restart for one container (the state dir's record). */
export interface ContainerRecord {
  pid: number
  startTicks?: number
  startedAt: string
  restartCount: number
}

/** Options of a ContainerProcess. */
export interface ContainerProcessOptions {
  name: string
  /** For messages: `name_namespace(uid)` as upstream writes it. */
  podRef: string
  restartPolicy: 'Always' | 'OnFailure' | 'Never'
  clock: Clock
  port: ProcessPort
  /** Builds the spawn spec anew for each start (env can depend on the pod IP). */
  spec(): SpawnSpec
  /** A record from an earlier kubelet to adopt instead of spawning. */
  adopt?: ContainerRecord
  backoffInitialMs?: number
  backoffMaxMs?: number
}

// upstream: pkg/kubelet/kubelet.go (backOffPeriod 10s, MaxContainerBackOff 300s) and
// pkg/kubelet/kuberuntime (a container that ran 10 min resets its back-off).
const BACKOFF_INITIAL_MS = 10_000
const BACKOFF_MAX_MS = 300_000
const BACKOFF_RESET_MS = 600_000

const SIGNALS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15, SIGSEGV: 11, SIGABRT: 6, SIGPIPE: 13 }

/**
 * One container's lifecycle. Events: 'change' after every state change, 'started' (pid), 'exited'
 * (ExitInfo), 'stopped' once stop() has finished.
 */
export class ContainerProcess extends EventEmitter {
  /** The state to report. */
  state: ContainerRuntimeState = { waiting: { reason: 'ContainerCreating' } }
  /** The previous termination (containerStatuses[].lastState.terminated). */
  lastState: ContainerRuntimeState = {}
  restartCount = 0
  pid: number | undefined
  private startTicks: number | undefined
  private stopping = false
  private detached = false
  private nextBackoffMs = 0
  private timer: TimerHandle | undefined
  private startedMs = 0

  constructor(private readonly opts: ContainerProcessOptions) {
    super()
  }

  /** The record to persist for adoption; undefined when not running. */
  record(): ContainerRecord | undefined {
    if (this.pid === undefined || !this.state.running) return undefined
    return { pid: this.pid, startTicks: this.startTicks, startedAt: this.state.running.startedAt, restartCount: this.restartCount }
  }

  /** Adopts the recorded process when it still runs, else spawns a new one. */
  async start(): Promise<void> {
    const rec = this.opts.adopt
    if (rec) {
      this.restartCount = rec.restartCount
      const h = this.opts.port.adopt(rec.pid, rec.startTicks)
      if (h) {
        this.watch(h, rec.startedAt, Date.parse(rec.startedAt))
        return
      }
      // It died while no kubelet watched: count it as a crash, as upstream does for a dead container.
      this.restartCount++
    }
    await this.spawnOnce()
  }

  /** Kills the running process so that restartPolicy brings it back (a failed liveness probe). */
  restartForLiveness(message: string): void {
    if (this.pid === undefined || this.stopping) return
    this.killReason = { reason: 'Error', message }
    this.opts.port.kill(this.pid, 'SIGKILL')
  }

  private killReason: { reason: string; message: string } | undefined

  /** SIGTERM, then SIGKILL after graceSeconds on the clock; resolves when the process is gone. */
  async stop(graceSeconds: number): Promise<void> {
    this.stopping = true
    this.opts.clock.clearTimeout(this.timer)
    const pid = this.pid
    if (pid === undefined) {
      if (!this.state.terminated) this.setState({ terminated: { exitCode: 0, reason: 'Completed', finishedAt: this.now() } })
      this.emit('stopped')
      return
    }
    const gone = new Promise((resolve) => this.once('exited', resolve))
    this.opts.port.kill(pid, 'SIGTERM')
    const kill = this.opts.clock.setTimeout(() => this.opts.port.kill(pid, 'SIGKILL'), Math.max(0, graceSeconds) * 1000)
    await gone
    this.opts.clock.clearTimeout(kill)
    this.emit('stopped')
  }

  private now(): string {
    return rfc3339(this.opts.clock.now())
  }

  private async spawnOnce(): Promise<void> {
    if (this.stopping || this.detached) return
    try {
      const h = await this.opts.port.spawn(this.opts.spec())
      const at = this.opts.clock.now()
      this.watch(h, rfc3339(at), at)
    } catch (e) {
      this.setState({ waiting: { reason: 'RunContainerError', message: (e as Error).message } })
      this.scheduleRestart({ code: 128, signal: null }, 0)
    }
  }

  private watch(h: ProcessHandle, startedAt: string, startedMs: number): void {
    this.pid = h.pid
    this.startTicks = h.startTicks
    this.startedMs = startedMs
    this.setState({ running: { startedAt } })
    this.emit('started', h.pid)
    void h.exited.then((exit) => this.onExit(exit, startedAt))
  }

  private onExit(exit: ExitInfo, startedAt: string): void {
    // A detached process belongs to the next kubelet now: its exit is not ours to act on.
    if (this.detached) return
    this.pid = undefined
    const sig = exit.signal ? SIGNALS[exit.signal] : undefined
    const exitCode = exit.code ?? (sig !== undefined ? 128 + sig : 137)
    const reason = this.killReason?.reason ?? (exitCode === 0 ? 'Completed' : 'Error')
    const terminated: ContainerRuntimeState['terminated'] = { exitCode, reason, startedAt, finishedAt: this.now() }
    if (sig !== undefined) terminated.signal = sig
    if (this.killReason) terminated.message = this.killReason.message
    this.killReason = undefined
    const ranMs = this.opts.clock.now() - this.startedMs
    this.emit('exited', exit)
    if (this.stopping) {
      this.setState({ terminated })
      return
    }
    this.lastState = { terminated }
    const policy = this.opts.restartPolicy
    const restart = policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0)
    if (!restart) {
      this.setState({ terminated })
      return
    }
    if (ranMs >= BACKOFF_RESET_MS) this.nextBackoffMs = 0
    this.scheduleRestart(exit, this.nextBackoffMs)
  }

  private scheduleRestart(_exit: ExitInfo, delayMs: number): void {
    const initial = this.opts.backoffInitialMs ?? BACKOFF_INITIAL_MS
    const max = this.opts.backoffMaxMs ?? BACKOFF_MAX_MS
    // upstream: the first restart is immediate; later ones wait 10s, 20s, … up to 5 min.
    this.nextBackoffMs = delayMs === 0 ? initial : Math.min(delayMs * 2, max)
    const go = (): void => {
      this.restartCount++
      void this.spawnOnce()
    }
    if (delayMs === 0) return go()
    // upstream: pkg/kubelet/kuberuntime/kuberuntime_manager.go (doBackOff message)
    this.setState({ waiting: { reason: 'CrashLoopBackOff', message: `back-off ${delayMs / 1000}s restarting failed container=${this.opts.name} pod=${this.opts.podRef}` } })
    this.timer = this.opts.clock.setTimeout(go, delayMs)
  }

  /** Stops managing the process without touching it (a kubelet shutting down leaves it running). */
  detach(): void {
    this.detached = true
    this.opts.clock.clearTimeout(this.timer)
    this.removeAllListeners()
  }

  /** Reports an image that cannot run: waits with the reason, never spawns. */
  setWaiting(reason: string, message: string): void {
    this.setState({ waiting: { reason, message } })
  }

  private setState(s: ContainerRuntimeState): void {
    this.state = s
    this.emit('change')
  }
}
