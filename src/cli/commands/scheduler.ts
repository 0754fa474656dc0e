// `kplab scheduler [flags]`: runs the scheduler until SIGTERM/SIGINT.
import { Option, type Command } from 'commander'
import { createLogger } from '../../base/logger.js'
import { loadKubeconfig } from '../../client/kubeconfig.js'
import { SCHEDULER_FLAGS, resolveSchedulerOptions } from '../../scheduler/options.js'
import { runScheduler } from '../../scheduler/server.js'

/** Registers `kplab scheduler`, its flags taken from the scheduler's declarative flag list. */
export function registerScheduler(program: Command): void {
  const cmd = program.command('scheduler').description('run the scheduler: binds pods without a node to a node that fits them')
  const keys = new Map<string, string>()
  for (const f of SCHEDULER_FLAGS) {
    const o = new Option(f.flag, f.description)
    if (f.defaultValue !== undefined) o.default(f.defaultValue)
    cmd.addOption(o)
    keys.set(o.attributeName(), f.key)
  }
  cmd.action(async (parsed: Record<string, unknown>) => {
    const raw: Record<string, unknown> = {}
    for (const [attr, key] of keys) raw[key] = parsed[attr]
    const opts = resolveSchedulerOptions(raw)
    const config = loadKubeconfig({ explicitPath: opts.kubeconfig, kubeconfigEnv: process.env.KUBECONFIG, homeDir: process.env.HOME })
    const logger = createLogger({ component: 'scheduler', level: process.env.KPLAB_LOG_LEVEL ?? 'info' })
    const stop = new AbortController()
    const onSignal = (): void => stop.abort()
    process.once('SIGTERM', onSignal)
    process.once('SIGINT', onSignal)
    process.stdout.write(`kplab scheduler running against ${config.server}\n`)
    await runScheduler(opts, config, stop.signal, { logger })
  })
}
