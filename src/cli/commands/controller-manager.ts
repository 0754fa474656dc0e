// `kplab controller-manager [flags]`: runs the controllers until SIGTERM/SIGINT.
import { Option, type Command } from 'commander'
import { createLogger } from '../../base/logger.js'
import { loadKubeconfig } from '../../client/kubeconfig.js'
import { CONTROLLER_MANAGER_FLAGS, resolveControllerManagerOptions } from '../../controllers/options.js'
import { runControllerManager } from '../../controllers/server.js'

/** Registers `kplab controller-manager`, its flags taken from the declarative flag list. */
export function registerControllerManager(program: Command): void {
  const cmd = program
    .command('controller-manager')
    .description('run the controllers: deployments, replicasets, daemonsets, endpointslices, node IPAM and lifecycle, garbage collection')
  const keys = new Map<string, string>()
  for (const f of CONTROLLER_MANAGER_FLAGS) {
    const o = new Option(f.flag, f.description)
    if (f.defaultValue !== undefined) o.default(f.defaultValue)
    cmd.addOption(o)
    keys.set(o.attributeName(), f.key)
  }
  cmd.action(async (parsed: Record<string, unknown>) => {
    const raw: Record<string, unknown> = {}
    for (const [attr, key] of keys) raw[key] = parsed[attr]
    const opts = resolveControllerManagerOptions(raw)
    const config = loadKubeconfig({ explicitPath: opts.kubeconfig, kubeconfigEnv: process.env.KUBECONFIG, homeDir: process.env.HOME })
    const logger = createLogger({ component: 'controller-manager', level: process.env.KPLAB_LOG_LEVEL ?? 'info' })
    const stop = new AbortController()
    const onSignal = (): void => stop.abort()
    process.once('SIGTERM', onSignal)
    process.once('SIGINT', onSignal)
    process.stdout.write(`kplab controller-manager running against ${config.server} (controllers: ${opts.controllers.join(', ')})\n`)
    await runControllerManager(opts, config, stop.signal, { logger })
  })
}
