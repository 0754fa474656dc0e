// Plugs the iptables proxier into the proxy daemon's createProxier hook: the daemon's change
// trackers hand over the whole ServicePortMap on each sync; the proxier works out what changed.
import type { Clock } from '../../base/clock.js'
import { KplabError } from '../../base/errors.js'
import type { Logger } from '../../base/logger.js'
import type { EndpointInfo } from './endpoints.js'
import { IptablesMetrics } from './metrics.js'
import type { GeneratorOptions } from './options.js'
import { IptablesProxier } from './proxier.js'
import type { IptablesRunner } from './restore.js'
import type { ServicePortInfo } from './service-port.js'

/** iptables mode was asked for without an iptables port (no --netns, not root). */
export class IptablesUnavailableError extends KplabError {
  constructor() {
    super('ENOIPTABLES', 'iptables mode needs the node network namespace: run as root with --netns NAME (kplab never writes rules in the host namespace)')
  }
}

/** What the daemon's hook passes in. */
export interface IptablesModeDeps {
  clock: Clock
  logger?: Logger
  iptables?: IptablesRunner
  generator?: Partial<GeneratorOptions>
  minSyncPeriodMs?: number
  syncPeriodMs?: number
}

/** The daemon-facing side of the iptables mode (structurally the daemon's `Proxier`). */
export interface IptablesModeProxier {
  readonly proxier: IptablesProxier
  readonly metrics: IptablesMetrics
  sync(services: ReadonlyMap<string, ServicePortInfo>, endpointsOf: (servicePort: string) => readonly EndpointInfo[]): Promise<void>
  /** Both informers have synced: rules may be written from the next sync() on. */
  informersSynced(): void
  prometheus(): string
  stats(): unknown
  ports(): unknown
  close(): Promise<void>
}

/** Builds the iptables mode for the daemon; the proxier starts on the first sync() call (the daemon syncs once more after informersSynced). */
export function createIptablesModeProxier(deps: IptablesModeDeps): IptablesModeProxier {
  if (deps.iptables === undefined) throw new IptablesUnavailableError()
  const metrics = new IptablesMetrics()
  const proxier = new IptablesProxier({
    iptables: deps.iptables,
    clock: deps.clock,
    logger: deps.logger,
    metrics,
    generator: deps.generator,
    minSyncPeriodMs: deps.minSyncPeriodMs,
    syncPeriodMs: deps.syncPeriodMs,
  })
  let starting: Promise<void> | undefined
  let lastPorts = 0
  // Set by informersSynced; the daemon's next sync() carries the complete state, and only then may
  // the proxier write (a sync from a half-delivered state would delete the rest's chains).
  let informersDone = false
  return {
    proxier,
    metrics,
    async sync(services, endpointsOf) {
      starting ??= proxier.start()
      await starting
      lastPorts = services.size
      proxier.setState(services.values(), endpointsOf)
      if (informersDone) proxier.setInitialized()
    },
    informersSynced() {
      informersDone = true
    },
    prometheus: () => metrics.prometheus(),
    stats: () => ({ mode: 'iptables', servicePorts: lastPorts, initialized: proxier.isInitialized() }),
    ports: () => [],
    async close() {
      proxier.stop()
    },
  }
}
