// Named network namespaces: create (with lo up and optional forwarding sysctls set inside the
// namespace, never on the host), delete, and list by prefix.
import { CommandError } from '../base/errors.js'
import { assertNetnsName, type CommandRunner } from './exec.js'
import { runStep, runSteps, type Step } from './step.js'

/** What to switch on inside a new namespace. */
export interface NamespaceOptions {
  /** net.ipv4.ip_forward=1: the namespace routes between its links (a node). */
  forwarding?: boolean
  /** net.ipv4.conf.all.route_localnet=1: DNAT to/from 127.0.0.0/8 works (kube-proxy NodePorts on localhost). */
  routeLocalnet?: boolean
}

/** The steps that create a namespace, bring its loopback up and set the requested sysctls in it. */
export function createNamespaceSteps(name: string, options: NamespaceOptions = {}): Step[] {
  assertNetnsName(name)
  const steps: Step[] = [
    { op: 'netns-add', netns: name },
    { op: 'ip', netns: name, args: ['link', 'set', 'lo', 'up'] },
  ]
  // sysctl runs through `ip netns exec`, which remounts /proc/sys/net for the namespace, so the
  // write lands in the namespace's own copy and the host's settings stay untouched.
  if (options.forwarding) steps.push({ op: 'exec', netns: name, cmd: 'sysctl', args: ['-w', 'net.ipv4.ip_forward=1'] })
  if (options.routeLocalnet) {
    steps.push({ op: 'exec', netns: name, cmd: 'sysctl', args: ['-w', 'net.ipv4.conf.all.route_localnet=1'] })
  }
  return steps
}

/** Creates a namespace as createNamespaceSteps describes. */
export async function createNamespace(runner: CommandRunner, name: string, options: NamespaceOptions = {}): Promise<void> {
  await runSteps(runner, createNamespaceSteps(name, options))
}

/** Deletes a namespace; resolves false when it did not exist, rejects on any other failure. */
export async function deleteNamespace(runner: CommandRunner, name: string): Promise<boolean> {
  const r = await runStep(runner, { op: 'netns-delete', netns: name }, { allowFailure: true })
  if (r.code === 0) return true
  if (/No such file or directory/.test(r.stderr)) return false
  throw new CommandError(`ip netns delete ${name}`, r.code, r.stderr)
}

/** Parses `ip netns list` output ("name" or "name (id: N)" per line) into names. */
export function parseNetnsList(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n !== '')
}

/** Lists named namespaces whose name starts with prefix (all of them for ''), sorted. */
export async function listNamespaces(runner: CommandRunner, prefix = ''): Promise<string[]> {
  const r = await runner.run('ip', ['netns', 'list'])
  return parseNetnsList(r.stdout)
    .filter((n) => n.startsWith(prefix))
    .sort()
}
