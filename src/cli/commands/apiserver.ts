// `kplab apiserver [flags]`: runs the API server until SIGTERM/SIGINT.
import { homedir } from 'node:os'
import { Option, type Command } from 'commander'
import { createLogger } from '../../base/logger.js'
import { APISERVER_FLAGS, resolveApiServerOptions } from '../../apiserver/options.js'
import { runApiServer } from '../../apiserver/server.js'

/** Registers `kplab apiserver`, its flags taken from the apiserver's declarative flag list. */
export function registerApiserver(program: Command): void {
  const cmd = program.command('apiserver').description('run the kplab API server (HTTPS, token auth; kubectl works against it)')
  // commander camel-cases `--service-cluster-ip-range` as serviceClusterIpRange; map back to our keys.
  const keys = new Map<string, string>()
  for (const f of APISERVER_FLAGS) {
    const o = new Option(f.flag, f.description)
    if (f.defaultValue !== undefined) o.default(f.defaultValue)
    cmd.addOption(o)
    keys.set(o.attributeName(), f.key)
  }
  cmd.action(async (parsed: Record<string, unknown>) => {
    const raw: Record<string, unknown> = {}
    for (const [attr, key] of keys) raw[key] = parsed[attr]
    const opts = resolveApiServerOptions(raw, homedir())
    const logger = createLogger({ component: 'apiserver', level: process.env.KPLAB_LOG_LEVEL ?? 'info' })
    await runApiServer(opts, { logger })
  })
}
