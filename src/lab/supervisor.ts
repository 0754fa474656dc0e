// Starts the lab's components as child processes, each with its log file, waits for their ready
// lines, restarts those that die (when asked), and stops exactly the processes it started (by PID):
// SIGTERM, then SIGKILL after a grace.
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, type WriteStream } from 'node:fs'
import { EventEmitter, once } from 'node:events'
import type { Clock } from '../base/clock.js'
import { KplabError } from '../base/errors.js'

/**
 * Holds the event loop open until released: the injected clock's timers are unref'd, so a process
 * whose only pending work is a poll (down waiting for a PID) or a restart delay would otherwise exit.
 */
export function keepAlive(): () => void {
  const { port1, port2 } = new MessageChannel()
  port1.on('message', () => {})
  return () => {
    port1.close()
    port2.close()
  }
}

/** How to run a kplab command as a child process (the CLI passes its own entry point). */
export interface CliLauncher {
  /** The node binary. */
  execPath: string
  /** Node flags before the script (e.g. `--import tsx` when running from source). */
  execArgv: string[]
  /** The kplab entry script. */
  entry: string
}

/** A component the supervisor started; pid and child change when it is restarted. */
export interface Component {
  name: string
  pid: number
  logFile: string
  child: ChildProcess
  /** How many times the supervisor restarted it after it died. */
  restarts: number
}

/** Per-component start options. */
export interface StartOptions {
  /** argv run before node, e.g. ['nsenter', '--net=/run/netns/NS'] to start it inside a namespace. */
  prefix?: string[]
  /** Restart the component when it exits after it was ready (until stopAll). */
  restart?: boolean
}

/** A component failed to start or exited early. */
export class ComponentError extends KplabError {
  constructor(name: string, why: string, logFile: string) {
    super('ECOMPONENT', `${name} ${why} (log: ${logFile})`)
  }
}

/** Options of a Supervisor. */
export interface SupervisorOptions {
  launcher: CliLauncher
  clock: Clock
  /** Milliseconds to wait for a ready line. */
  startTimeoutMs?: number
  /** Milliseconds between SIGTERM and SIGKILL on stop. */
  stopGraceMs?: number
  /** Milliseconds before a died component is started again (default 1000, doubling to 30 s while it keeps dying young). */
  restartDelayMs?: number
}

/**
 * Runs and stops lab components; no I/O until start(). Events: 'spawn' (component, after every
 * start or restart, with the new pid), 'exit' (component, code, signal) when one dies unasked.
 */
export class Supervisor extends EventEmitter {
  private readonly components: Component[] = []
  private stopping = false

  constructor(private readonly opts: SupervisorOptions) {
    super()
  }

  /** All components started so far, in start order. */
  list(): readonly Component[] {
    return this.components
  }

  /**
   * Starts `kplab <args>` with stdout and stderr appended to logFile; resolves with the first
   * stdout line matching ready (the component's own "serving"/"listening" line).
   */
  async start(name: string, args: string[], logFile: string, ready: RegExp, options: StartOptions = {}): Promise<{ component: Component; match: RegExpExecArray }> {
    const log: WriteStream = createWriteStream(logFile, { flags: 'a' })
    const child = this.spawnChild(args, options)
    if (child.pid === undefined) throw new ComponentError(name, 'could not be started', logFile)
    const component: Component = { name, pid: child.pid, logFile, child, restarts: 0 }
    this.components.push(component)
    this.emit('spawn', component)
    child.stderr!.pipe(log, { end: false })
    const match = await new Promise<RegExpExecArray>((resolve, reject) => {
      let buf = ''
      const timer = this.opts.clock.setTimeout(() => {
        cleanup()
        reject(new ComponentError(name, `did not become ready within ${this.opts.startTimeoutMs ?? 30_000} ms`, logFile))
      }, this.opts.startTimeoutMs ?? 30_000)
      const onData = (d: Buffer): void => {
        log.write(d)
        buf += d.toString()
        const m = ready.exec(buf)
        if (m) {
          cleanup()
          child.stdout!.on('data', (more: Buffer) => log.write(more))
          resolve(m)
        }
      }
      const onExit = (code: number | null): void => {
        cleanup()
        reject(new ComponentError(name, `exited with code ${code} before it was ready`, logFile))
      }
      const cleanup = (): void => {
        this.opts.clock.clearTimeout(timer)
        child.stdout!.off('data', onData)
        child.off('exit', onExit)
      }
      child.stdout!.on('data', onData)
      child.once('exit', onExit)
    })
    if (options.restart) this.watch(component, args, log, options, this.opts.restartDelayMs ?? 1_000)
    return { component, match }
  }

  private spawnChild(args: string[], options: StartOptions): ChildProcess {
    const { launcher } = this.opts
    const argv = [...(options.prefix ?? []), launcher.execPath, ...launcher.execArgv, launcher.entry, ...args]
    return spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] })
  }

  /** Restarts the component whenever its current child dies, backing off while it keeps dying young. */
  private watch(c: Component, args: string[], log: WriteStream, options: StartOptions, delayMs: number): void {
    const started = this.opts.clock.now()
    c.child.once('exit', (code, signal) => {
      if (this.stopping || !this.components.includes(c)) return
      this.emit('exit', c, code, signal)
      log.write(`--- kplab supervisor: ${c.name} exited (code ${code}, signal ${signal}); restarting in ${delayMs} ms\n`)
      // A component that ran for a minute is healthy again: start over from the base delay.
      const base = this.opts.restartDelayMs ?? 1_000
      const next = this.opts.clock.now() - started > 60_000 ? base : Math.min(delayMs * 2, 30_000)
      // The clock's timers are unref'd: without this a supervisor whose only child died would exit.
      const release = keepAlive()
      this.opts.clock.setTimeout(() => {
        release()
        if (this.stopping || !this.components.includes(c)) return
        const child = this.spawnChild(args, options)
        child.on('error', () => {})
        child.stdout!.pipe(log, { end: false })
        child.stderr!.pipe(log, { end: false })
        if (child.pid === undefined) return
        c.child = child
        c.pid = child.pid
        c.restarts++
        this.emit('spawn', c)
        this.watch(c, args, log, options, next)
      }, delayMs)
    })
  }

  /** Stops every component in reverse start order; resolves when all have exited. */
  async stopAll(): Promise<void> {
    this.stopping = true
    const running = [...this.components].reverse()
    this.components.length = 0
    await Promise.all(running.map((c) => this.stop(c)))
  }

  private async stop(c: Component): Promise<void> {
    if (c.child.exitCode !== null || c.child.signalCode !== null) return
    const exited = once(c.child, 'exit')
    c.child.kill('SIGTERM')
    // A component frozen on purpose (an experiment's stopped kubelet) must wake to handle it.
    c.child.kill('SIGCONT')
    const killer = this.opts.clock.setTimeout(() => c.child.kill('SIGKILL'), this.opts.stopGraceMs ?? 5_000)
    await exited
    this.opts.clock.clearTimeout(killer)
  }
}
