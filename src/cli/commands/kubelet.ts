// `kplab kubelet [flags]`: runs a node agent until SIGTERM/SIGINT.
import { cpus, hostname, homedir, totalmem } from 'node:os'
import { Option, type Command } from 'commander'
import { createLogger } from '../../base/logger.js'
import { KUBELET_FLAGS, resolveKubeletOptions } from '../../kubelet/options.js'
import { runKubelet } from '../../kubelet/server.js'

/** Registers `kplab kubelet`, its flags taken from the kubelet's declarative flag list. */
export function registerKubelet(program: Command): void {
  const cmd = program.command('kubelet').description('run a kplab node agent: registers the Node, runs its pods as processes, serves their logs')
  const keys = new Map<string, string>()
  for (const f of KUBELET_FLAGS) {
    const o = new Option(f.flag, f.description)
    if (f.defaultValue !== undefined) o.default(f.defaultValue)
    cmd.addOption(o)
    keys.set(o.attributeName(), f.key)
  }
  cmd.action(async (parsed: Record<string, unknown>) => {
    const raw: Record<string, string | undefined> = {}
    for (const [attr, key] of keys) raw[key] = parsed[attr] === undefined ? undefined : String(parsed[attr])
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
    const host = { hostCpu: String(cpus().length), hostMemory: `${Math.floor(totalmem() / 1024)}Ki` }
    const opts = resolveKubeletOptions(raw, { home: homedir(), hostname: hostname(), isRoot, ...host })
    const logger = createLogger({ component: 'kubelet', level: process.env.KPLAB_LOG_LEVEL ?? 'info' })
    await runKubelet(
      opts,
      { kubeconfig: { kubeconfigEnv: process.env.KUBECONFIG, homeDir: homedir() }, pathEnv: process.env.PATH ?? '/usr/bin:/bin', execPath: process.execPath },
      { logger },
    )
  })
}
