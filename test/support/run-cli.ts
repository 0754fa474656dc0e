// Spawns `kplab` from source (tsx) as a child process, for tests that need a real server process.
import { spawn, type ChildProcess } from 'node:child_process'
import { resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { once } from 'node:events'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Path of the CLI entry in source form. */
export const CLI_ENTRY = resolve(root, 'test', 'support', 'cli-entry.ts')

/** Starts `kplab <args>` and returns the child; stdout/stderr are piped. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

/** Resolves with the first stdout line matching re (rejects if the process exits first). */
export async function waitForLine(child: ChildProcess, re: RegExp): Promise<RegExpExecArray> {
  let buf = ''
  let err = ''
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString()
  })
  return new Promise((resolvePromise, reject) => {
    const onData = (d: Buffer): void => {
      buf += d.toString()
      for (const line of buf.split('\n')) {
        const m = re.exec(line)
        if (m) {
          child.stdout?.off('data', onData)
          resolvePromise(m)
          return
        }
      }
    }
    child.stdout?.on('data', onData)
    child.once('exit', (code) => reject(new Error(`process exited (${code}) before printing ${re}: ${err.slice(-2000)}`)))
  })
}

/** Runs `kplab <args>` to completion; resolves with exit code and output. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCli(args, env)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const [code] = (await once(child, 'exit')) as [number | null]
  return { code, stdout, stderr }
}
