// Probes: httpGet, tcpSocket and exec, run against the pod's IP (inside its namespace when it has
// one), on the injected clock, with upstream's thresholds. A readiness result feeds the pod's Ready
// condition; a liveness failure asks the runtime to restart the container.
// upstream: pkg/kubelet/prober/worker.go (thresholds, initial results) and prober.go (runProbe).
import { execFile } from 'node:child_process'
import { EventEmitter } from 'node:events'
import http from 'node:http'
import net from 'node:net'
import type { ContainerPort, IntOrString, Probe } from '../api/types.js'
import type { Clock, TimerHandle } from '../base/clock.js'

/** The outcome of one probe run. */
export interface ProbeResult {
  ok: boolean
  /** Why it failed (logged and put into events/messages). */
  message?: string
}

/** Where a probe runs: the pod's address and namespace, the container's ports and env. */
export interface ProbeTarget {
  podIP: string
  netns?: string
  ports?: ContainerPort[]
  env?: Record<string, string>
}

/** Resolves a probe port: a number, or the name of one of the container's ports. */
export function resolvePort(port: IntOrString, ports: ContainerPort[] = []): number | undefined {
  if (typeof port === 'number') return port
  if (/^\d+$/.test(port)) return Number(port)
  return ports.find((p) => p.name === port)?.containerPort
}

// In a pod namespace the kubelet cannot reach the pod IP directly (it lives on the node's bridge),
// so http and tcp checks run as a tiny node program inside the namespace.
const HTTP_CHECK = `const r=require('http').get(process.argv[1],{timeout:+process.argv[2]},(s)=>{process.stdout.write(String(s.statusCode));s.resume();s.on('end',()=>process.exit(0))});r.on('timeout',()=>{r.destroy(new Error('timeout'))});r.on('error',(e)=>{console.error(e.message);process.exit(1)})`
const TCP_CHECK = `const s=require('net').connect(+process.argv[2],process.argv[1]);s.setTimeout(+process.argv[3],()=>{console.error('timeout');process.exit(1)});s.on('connect',()=>{s.destroy();process.exit(0)});s.on('error',(e)=>{console.error(e.message);process.exit(1)})`

function execIn(netns: string | undefined, cmd: string, args: string[], env: Record<string, string> | undefined, timeoutMs: number): Promise<{ code: number; stdout: string; stderr: string }> {
  const [c, a] = netns ? ['ip', ['netns', 'exec', netns, cmd, ...args]] : [cmd, args]
  return new Promise((resolve) => {
    execFile(c!, a as string[], { timeout: timeoutMs, env, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0
      resolve({ code, stdout, stderr: stderr || (err && !stdout ? err.message : '') })
    })
  })
}

/** Runs a probe once. */
export async function runProbe(probe: Probe, target: ProbeTarget, execPath: string): Promise<ProbeResult> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000
  if (probe.exec) {
    const cmd = probe.exec.command ?? []
    if (cmd.length === 0) return { ok: false, message: 'exec probe has no command' }
    const r = await execIn(target.netns, cmd[0]!, cmd.slice(1), target.env, timeoutMs)
    return r.code === 0 ? { ok: true } : { ok: false, message: `command ${JSON.stringify(cmd.join(' '))} exited with ${r.code}: ${(r.stdout + r.stderr).trim()}` }
  }
  if (probe.httpGet) {
    const port = resolvePort(probe.httpGet.port, target.ports)
    if (port === undefined) return { ok: false, message: `httpGet probe port ${JSON.stringify(probe.httpGet.port)} is not a number or a named container port` }
    const host = probe.httpGet.host ?? target.podIP
    const url = `http://${host}:${port}${probe.httpGet.path ?? '/'}`
    let status: number
    if (target.netns) {
      const r = await execIn(target.netns, execPath, ['-e', HTTP_CHECK, url, String(timeoutMs)], undefined, timeoutMs + 2000)
      if (r.code !== 0) return { ok: false, message: `Get "${url}": ${r.stderr.trim()}` }
      status = Number(r.stdout)
    } else {
      try {
        status = await httpStatus(url, timeoutMs)
      } catch (e) {
        return { ok: false, message: `Get "${url}": ${(e as Error).message}` }
      }
    }
    // upstream: pkg/probe/http/http.go (2xx and 3xx are success)
    return status >= 200 && status < 400 ? { ok: true } : { ok: false, message: `HTTP probe failed with statuscode: ${status}` }
  }
  if (probe.tcpSocket) {
    const port = resolvePort(probe.tcpSocket.port, target.ports)
    if (port === undefined) return { ok: false, message: `tcpSocket probe port ${JSON.stringify(probe.tcpSocket.port)} is not a number or a named container port` }
    const host = probe.tcpSocket.host ?? target.podIP
    if (target.netns) {
      const r = await execIn(target.netns, execPath, ['-e', TCP_CHECK, host, String(port), String(timeoutMs)], undefined, timeoutMs + 2000)
      return r.code === 0 ? { ok: true } : { ok: false, message: `dial tcp ${host}:${port}: ${r.stderr.trim()}` }
    }
    return tcpConnect(host, port, timeoutMs)
  }
  return { ok: false, message: 'probe has no handler: set httpGet, tcpSocket or exec' }
}

function httpStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs, agent: false }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('timeout', () => req.destroy(new Error(`context deadline exceeded (timeout ${timeoutMs}ms)`)))
    req.on('error', reject)
  })
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const s = net.connect(port, host)
    s.setTimeout(timeoutMs, () => {
      s.destroy()
      resolve({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` })
    })
    s.on('connect', () => {
      s.destroy()
      resolve({ ok: true })
    })
    s.on('error', (e) => resolve({ ok: false, message: `dial tcp ${host}:${port}: ${e.message}` }))
  })
}

/** Options of a ProbeWorker. */
export interface ProbeWorkerOptions {
  kind: 'readiness' | 'liveness'
  probe: Probe
  target: () => ProbeTarget
  clock: Clock
  execPath: string
  /** Replaces runProbe (tests). */
  run?: (probe: Probe, target: ProbeTarget) => Promise<ProbeResult>
}

/**
 * Runs one probe of one container every periodSeconds after initialDelaySeconds, and emits
 * 'result' (ProbeResult) after every run and 'change' (boolean) when the thresholded result flips.
 */
export class ProbeWorker extends EventEmitter {
  /** The thresholded result: readiness starts false, liveness true (upstream's initial values). */
  healthy: boolean
  private successes = 0
  private failures = 0
  private timer: TimerHandle | undefined
  private stopped = false

  constructor(private readonly opts: ProbeWorkerOptions) {
    super()
    this.healthy = opts.kind === 'liveness'
  }

  /** Starts probing (call when the container starts). */
  start(): void {
    const delay = (this.opts.probe.initialDelaySeconds ?? 0) * 1000
    // With no initial delay the first probe runs at once, as soon as the container runs.
    if (delay === 0) void this.tick()
    else this.timer = this.opts.clock.setTimeout(() => void this.tick(), delay)
  }

  /** Stops probing; no more events. */
  stop(): void {
    this.stopped = true
    this.opts.clock.clearTimeout(this.timer)
  }

  private async tick(): Promise<void> {
    if (this.stopped) return
    const p = this.opts.probe
    const run = this.opts.run ?? ((probe, target) => runProbe(probe, target, this.opts.execPath))
    const result = await run(p, this.opts.target()).catch((e: Error) => ({ ok: false, message: e.message }))
    if (this.stopped) return
    if (result.ok) {
      this.successes++
      this.failures = 0
    } else {
      this.failures++
      this.successes = 0
    }
    const before = this.healthy
    if (result.ok && this.successes >= (p.successThreshold ?? 1)) this.healthy = true
    if (!result.ok && this.failures >= (p.failureThreshold ?? 3)) this.healthy = false
    this.emit('result', result)
    if (before !== this.healthy) this.emit('change', this.healthy, result)
    // A liveness failure restarts the container: counting starts over for the new one.
    if (this.opts.kind === 'liveness' && !this.healthy) {
      this.healthy = true
      this.failures = 0
    }
    if (!this.stopped) this.timer = this.opts.clock.setTimeout(() => void this.tick(), (p.periodSeconds ?? 10) * 1000)
  }
}
