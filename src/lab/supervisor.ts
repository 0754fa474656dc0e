// Starts the lab's components as child processes, each with its log file, waits for their ready
// lines, and stops exactly the processes it started (by PID): SIGTERM, then SIGKILL after a grace.
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, type WriteStream } from 'node:fs'
import { once } from 'node:events'
import type { Clock } from '../base/clock.js'
import { KplabError } from '../base/errors.js'

/** How to run a kplab command as a child process (the CLI passes its own entry point). */
export interface CliLauncher {
  /** The node binary. */
  execPath: string
  /** Node flags before the script (e.g. `--import tsx` when running from source). */
  execArgv: string[]
  /** The kplab entry script. */
  entry: string
}

/** A component the supervisor started. */
export interface Component {
  name: string
  pid: number
  logFile: string
  child: ChildProcess
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
}

/** Runs and stops lab components; no I/O until start(). */
export class Supervisor {
  private readonly components: Component[] = []

  constructor(private readonly opts: SupervisorOptions) {}

  /** All components started so far, in start order. */
  list(): readonly Component[] {
    return this.components
  }

  /**
   * Starts `kplab <args>` with stdout and stderr appended to logFile; resolves with the first
   * stdout line matching ready (the component's own "serving"/"listening" line).
   */
  async start(name: string, args: string[], logFile: string, ready: RegExp): Promise<{ component: Component; match: RegExpExecArray }> {
    const { launcher } = this.opts
    const log: WriteStream = createWriteStream(logFile, { flags: 'a' })
    const child = spawn(launcher.execPath, [...launcher.execArgv, launcher.entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    if (child.pid === undefined) throw new ComponentError(name, 'could not be started', logFile)
    const component: Component = { name, pid: child.pid, logFile, child }
    this.components.push(component)
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
    return { component, match }
  }

  /** Stops every component in reverse start order; resolves when all have exited. */
  async stopAll(): Promise<void> {
    const running = [...this.components].reverse()
    this.components.length = 0
    await Promise.all(running.map((c) => this.stop(c)))
  }

  private async stop(c: Component): Promise<void> {
    if (c.child.exitCode !== null || c.child.signalCode !== null) return
    const exited = once(c.child, 'exit')
    c.child.kill('SIGTERM')
    const killer = this.opts.clock.setTimeout(() => c.child.kill('SIGKILL'), this.opts.stopGraceMs ?? 5_000)
    await exited
    this.opts.clock.clearTimeout(killer)
  }
}
