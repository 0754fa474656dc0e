// The side-effect port for external commands. Everything in kplab that runs `ip`, `sysctl` or
// `iptables` goes through a CommandRunner, so pure code can be tested with a RecordingRunner and
// the real runner is the only place that calls child_process for them.
import { spawn } from 'node:child_process'
import { CommandError } from '../base/errors.js'

/** How to run one command. */
export interface RunOptions {
  /** Written to the command's stdin, which is then closed (e.g. an iptables-restore payload, as text or byte chunks). */
  input?: string | readonly Uint8Array[]
  /** Run inside this named network namespace (through `ip netns exec NAME`). */
  netns?: string
  /** Resolve with the exit code instead of rejecting when the command exits non-zero. */
  allowFailure?: boolean
  /** Kills the command when aborted. */
  signal?: AbortSignal
}

/** What a finished command printed and how it exited. */
export interface RunResult {
  stdout: string
  stderr: string
  code: number
}

/** Runs external commands; rejects with a CommandError on a non-zero exit unless allowFailure. */
export interface CommandRunner {
  run(cmd: string, args: readonly string[], options?: RunOptions): Promise<RunResult>
}

// Linux keeps named namespaces as files under /run/netns, so a name must be a plain file name;
// we are stricter still so that a name can never smuggle an option or a path into a command line.
const NETNS_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/

/** Throws unless `name` is a safe network-namespace name (letters, digits, `_.-`, at most 64). */
export function assertNetnsName(name: string): void {
  if (typeof name !== 'string' || !NETNS_NAME.test(name)) {
    throw new TypeError(
      `invalid network namespace name ${JSON.stringify(name)}: use 1-64 letters, digits, "_", "." or "-", starting with a letter or digit`,
    )
  }
}

/** The argv that runs `cmd args` inside `netns` (or directly when netns is undefined). */
export function netnsArgv(cmd: string, args: readonly string[], netns?: string): { cmd: string; args: string[] } {
  if (netns === undefined) return { cmd, args: [...args] }
  assertNetnsName(netns)
  return { cmd: 'ip', args: ['netns', 'exec', netns, cmd, ...args] }
}

/** One command line as a person would type it, for logs, errors and test expectations. */
export function commandLine(cmd: string, args: readonly string[], netns?: string): string {
  const argv = netnsArgv(cmd, args, netns)
  return [argv.cmd, ...argv.args].map(quoteArg).join(' ')
}

function quoteArg(a: string): string {
  return /^[A-Za-z0-9_./:=,+@%-]+$/.test(a) ? a : JSON.stringify(a)
}

/** The real runner: spawns the command (no shell) and collects its output. */
export class SpawnRunner implements CommandRunner {
  run(cmd: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const argv = netnsArgv(cmd, args, options.netns)
    const line = commandLine(cmd, args, options.netns)
    return new Promise((resolve, reject) => {
      const child = spawn(argv.cmd, argv.args, {
        stdio: ['pipe', 'pipe', 'pipe'],
        ...(options.signal ? { signal: options.signal } : {}),
      })
      const out: Buffer[] = []
      const err: Buffer[] = []
      child.stdout.on('data', (b: Buffer) => out.push(b))
      child.stderr.on('data', (b: Buffer) => err.push(b))
      let failed = false
      child.on('error', (e: NodeJS.ErrnoException) => {
        failed = true
        reject(new CommandError(line, null, e.code === 'ENOENT' ? `${argv.cmd}: command not found` : e.message))
      })
      // A command that exits before reading all of stdin makes the write fail with EPIPE;
      // its exit code and stderr tell the real story, so the write error is ignored.
      child.stdin.on('error', () => {})
      const input = options.input ?? ''
      if (typeof input === 'string') child.stdin.end(input)
      else {
        for (const chunk of input) child.stdin.write(chunk)
        child.stdin.end()
      }
      child.on('close', (code) => {
        if (failed) return
        const result = { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? -1 }
        if (result.code !== 0 && !options.allowFailure) reject(new CommandError(line, code, result.stderr))
        else resolve(result)
      })
    })
  }
}

/** The text of a command's input (byte chunks decoded as UTF-8). */
export function inputText(input: string | readonly Uint8Array[]): string {
  return typeof input === 'string' ? input : Buffer.concat(input).toString('utf8')
}

/** One call seen by a RecordingRunner. */
export interface RecordedCall {
  cmd: string
  args: string[]
  netns?: string
  input?: string
}

/** Decides a fake command's result; return undefined for success with empty output. */
export type FakeResponder = (call: RecordedCall) => Partial<RunResult> | undefined

/** A fake runner for pure tests: records every call and answers through a responder. */
export class RecordingRunner implements CommandRunner {
  readonly calls: RecordedCall[] = []

  constructor(private readonly responder: FakeResponder = () => undefined) {}

  async run(cmd: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const call: RecordedCall = { cmd, args: [...args] }
    if (options.netns !== undefined) {
      assertNetnsName(options.netns)
      call.netns = options.netns
    }
    if (options.input !== undefined) call.input = inputText(options.input)
    this.calls.push(call)
    const r = this.responder(call) ?? {}
    const result: RunResult = { stdout: r.stdout ?? '', stderr: r.stderr ?? '', code: r.code ?? 0 }
    if (result.code !== 0 && !options.allowFailure) {
      throw new CommandError(commandLine(cmd, args, options.netns), result.code, result.stderr)
    }
    return result
  }

  /** Every recorded call as a command line (`ip netns exec NS sysctl -w …` when run in a netns). */
  lines(): string[] {
    return this.calls.map((c) => commandLine(c.cmd, c.args, c.netns))
  }
}
