// Capability checks for tests that need root, network namespaces, iptables, etcd or kubectl.
// Outside CI a missing capability skips with a reason; in CI (CI=true) it fails, because CI must run them.
import { execFileSync } from 'node:child_process'
import type { Test } from 'tap'

/** True when `cmd` is on PATH. */
export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** True when running as root. */
export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0
}

/**
 * Returns true when the requirement holds. Otherwise it skips the test with the reason
 * (on a user's machine) or fails it (in CI) and returns false; callers `return` then.
 */
export function requireCapability(t: Test, ok: boolean, reason: string): boolean {
  if (ok) return true
  if (process.env.CI === 'true') {
    t.fail(`CI must run this test, but: ${reason}`)
  } else {
    t.pass(reason, { skip: reason })
  }
  return false
}
