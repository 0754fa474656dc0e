// A plan step: one `ip` (or in-namespace) command, always bound to a named network namespace.
// Plans are pure data so they can be reviewed and tested as exact command lists; runStep is the
// one place that turns a step into a command, and it refuses any step that would act on the
// host's root namespace.
import { KplabError } from '../base/errors.js'
import { assertNetnsName, commandLine, type CommandRunner, type RunResult } from './exec.js'

/** One command of a plan; every kind names the namespace it acts in. */
export type Step =
  | { op: 'netns-add'; netns: string }
  | { op: 'netns-delete'; netns: string }
  /** `ip -n NETNS ...args` (link, addr, route). */
  | { op: 'ip'; netns: string; args: string[] }
  /** `ip netns exec NETNS cmd ...args` (sysctl). */
  | { op: 'exec'; netns: string; cmd: string; args: string[] }

// The `ip` objects a step may touch; `netns` is excluded on purpose (namespaces are their own ops).
const IP_OBJECTS = new Set(['link', 'addr', 'address', 'route', 'neigh', 'rule'])

/** Thrown for a plan step that is malformed or would act outside the lab's namespaces. */
export class UnsafeStepError extends KplabError {
  constructor(message: string) {
    super('EUNSAFESTEP', message)
  }
}

/** Throws an UnsafeStepError unless the step names a namespace and cannot reach the root one. */
export function validateStep(step: Step): void {
  const s = step as Partial<Step> & { args?: unknown; cmd?: unknown }
  if (!s || typeof s !== 'object') throw new UnsafeStepError('a plan step must be an object')
  if (typeof s.netns !== 'string' || s.netns === '') {
    throw new UnsafeStepError(
      `plan step ${JSON.stringify(step)} has no netns: every step must run inside a lab namespace, never in the host's root namespace`,
    )
  }
  try {
    assertNetnsName(s.netns)
  } catch (e) {
    throw new UnsafeStepError((e as Error).message)
  }
  switch (s.op) {
    case 'netns-add':
    case 'netns-delete':
      return
    case 'ip': {
      const args = s.args
      if (!Array.isArray(args) || args.length === 0 || !IP_OBJECTS.has(String(args[0]))) {
        throw new UnsafeStepError(`ip step in ${s.netns} must start with one of ${[...IP_OBJECTS].join(', ')}; got ${JSON.stringify(args)}`)
      }
      // `netns <target>` inside an ip command moves a link: only to another named namespace,
      // never to a pid or the root namespace.
      args.forEach((a, i) => {
        if (a === 'netns') {
          const target = String(args[i + 1] ?? '')
          if (/^\d+$/.test(target) || !/^[A-Za-z0-9]/.test(target)) {
            throw new UnsafeStepError(`ip step in ${s.netns} moves a link to ${JSON.stringify(target)}: only named lab namespaces are allowed`)
          }
          assertNetnsName(target)
        }
        if (a === '-n' || a === '-netns' || a === '-all') {
          throw new UnsafeStepError(`ip step in ${s.netns} must not carry its own ${a} option; the step's netns decides`)
        }
      })
      return
    }
    case 'exec':
      if (typeof s.cmd !== 'string' || s.cmd === '' || !Array.isArray(s.args)) {
        throw new UnsafeStepError(`exec step in ${s.netns} needs a cmd and args`)
      }
      return
    default:
      throw new UnsafeStepError(`unknown plan step op ${JSON.stringify(s.op)}`)
  }
}

/** The command a step runs, as argv (cmd, args, and the netns for `ip netns exec`). */
export function stepCommand(step: Step): { cmd: string; args: string[]; netns?: string } {
  validateStep(step)
  switch (step.op) {
    case 'netns-add':
      return { cmd: 'ip', args: ['netns', 'add', step.netns] }
    case 'netns-delete':
      return { cmd: 'ip', args: ['netns', 'delete', step.netns] }
    case 'ip':
      return { cmd: 'ip', args: ['-n', step.netns, ...step.args] }
    case 'exec':
      return { cmd: step.cmd, args: [...step.args], netns: step.netns }
  }
}

/** A step as the command line it runs (what plan tests compare against). */
export function stepLine(step: Step): string {
  const c = stepCommand(step)
  return commandLine(c.cmd, c.args, c.netns)
}

/** Validates and runs one step; rejects with a CommandError when the command fails. */
export function runStep(runner: CommandRunner, step: Step, options: { allowFailure?: boolean } = {}): Promise<RunResult> {
  const c = stepCommand(step)
  return runner.run(c.cmd, c.args, {
    ...(c.netns !== undefined ? { netns: c.netns } : {}),
    ...(options.allowFailure ? { allowFailure: true } : {}),
  })
}

/** Validates every step first (so nothing runs from a bad plan), then runs them in order. */
export async function runSteps(runner: CommandRunner, steps: readonly Step[]): Promise<void> {
  for (const s of steps) validateStep(s)
  for (const s of steps) await runStep(runner, s)
}
