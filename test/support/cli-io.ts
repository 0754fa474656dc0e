// In-memory streams and a kubeconfig for running kubectl-like commands in-process against a fake server.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { FakeClock } from '../../src/base/clock.js'
import type { CliIo } from '../../src/cli/kube-flags.js'

/** A CliIo whose output is collected in strings. */
export interface MemoryIo extends CliIo {
  stdout: () => string
  stderr: () => string
  clock: FakeClock
}

/** Collecting streams, an environment with KUBECONFIG, and a fake clock at `now`. */
export function memoryIo(env: Record<string, string | undefined> = {}, now = Date.UTC(2026, 0, 1, 1, 0, 0)): MemoryIo {
  let out = ''
  let err = ''
  const clock = new FakeClock(now)
  return {
    out: { write: (s: string) => (out += s) },
    err: { write: (s: string) => (err += s) },
    env,
    clock,
    stdout: () => out,
    stderr: () => err,
  }
}

/** Writes `<dir>/kubeconfig` for `server` (dir: the test's one t.testdir()); returns its path. */
export function writeKubeconfig(dir: string, server: string, namespace = 'default'): string {
  const path = join(dir, 'kubeconfig')
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'test',
      clusters: [{ name: 'test', cluster: { server } }],
      contexts: [{ name: 'test', context: { cluster: 'test', namespace } }],
      users: [],
    }),
  )
  return path
}
