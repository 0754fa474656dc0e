// Runs the controller manager from a client config: leader election (when enabled) around the
// controllers, until the signal aborts.
import { hostname } from 'node:os'
import { realClock, type Clock } from '../base/clock.js'
import { silentLogger, type Logger } from '../base/logger.js'
import { randomHex } from '../base/rng.js'
import type { ClientConfig } from '../client/kubeconfig.js'
import { LeaderElector } from '../client/leader-election.js'
import { RestClient } from '../client/rest-client.js'
import { ControllerManager } from './controller-manager.js'
import type { ControllerManagerServerOptions } from './options.js'

/** Runs the enabled controllers (behind a Lease when leaderElect) until the signal aborts. */
export async function runControllerManager(opts: ControllerManagerServerOptions, config: ClientConfig, signal: AbortSignal, deps: { clock?: Clock; logger?: Logger } = {}): Promise<void> {
  const clock = deps.clock ?? realClock
  const logger = deps.logger ?? silentLogger()
  const client = new RestClient(config, { userAgent: 'kplab-controller-manager/0.1.0' })
  const lead = async (s: AbortSignal): Promise<void> => {
    // Fresh informers and queues per term, so a new leader never acts on a previous term's cache.
    const cm = new ControllerManager({
      client,
      clock,
      logger,
      controllers: opts.controllers,
      clusterCIDR: opts.clusterCIDR,
      nodeCIDRMaskSize: opts.nodeCIDRMaskSize,
      nodeMonitorGracePeriodMs: opts.nodeMonitorGracePeriodMs,
      nodeMonitorPeriodMs: opts.nodeMonitorPeriodMs,
      defaultTolerationSeconds: opts.defaultTolerationSeconds,
    })
    logger.info({ controllers: cm.controllers.map((c) => c.name) }, 'starting controllers')
    await cm.run(s)
  }
  try {
    if (!opts.leaderElect) return await lead(signal)
    const elector = new LeaderElector({
      client,
      clock,
      logger,
      namespace: opts.leaseNamespace,
      name: opts.leaseName,
      identity: `${hostname()}_${randomHex(4)}`,
      leaseDurationMs: opts.leaseDurationMs,
      renewDeadlineMs: opts.renewDeadlineMs,
      retryPeriodMs: opts.retryPeriodMs,
    })
    await elector.run(signal, lead)
  } finally {
    client.close()
  }
}
