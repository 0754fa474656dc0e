// Runs the scheduler from a client config: leader election (when enabled) around the scheduling loop,
// until the signal aborts.
import { hostname } from 'node:os'
import { realClock, type Clock } from '../base/clock.js'
import { silentLogger, type Logger } from '../base/logger.js'
import { entropyRng, randomHex } from '../base/rng.js'
import type { ClientConfig } from '../client/kubeconfig.js'
import { LeaderElector } from '../client/leader-election.js'
import { RestClient } from '../client/rest-client.js'
import type { SchedulerServerOptions } from './options.js'
import { Scheduler } from './scheduler.js'

/** Runs the scheduler (behind a Lease when leaderElect) until the signal aborts. */
export async function runScheduler(opts: SchedulerServerOptions, config: ClientConfig, signal: AbortSignal, deps: { clock?: Clock; logger?: Logger } = {}): Promise<void> {
  const clock = deps.clock ?? realClock
  const logger = deps.logger ?? silentLogger()
  const client = new RestClient(config, { userAgent: 'kplab-scheduler/0.1.0' })
  const lead = async (s: AbortSignal): Promise<void> => {
    // A fresh Scheduler per term: its caches start from a new list, as upstream restarts the process.
    const scheduler = new Scheduler({
      client,
      clock,
      logger,
      rng: entropyRng(),
      schedulerNames: opts.schedulerNames,
      percentageOfNodesToScore: opts.percentageOfNodesToScore,
      bindConcurrency: opts.bindConcurrency,
    })
    scheduler.on('synced', () => logger.info({ nodes: scheduler.nodeCount }, 'scheduler caches synced'))
    await scheduler.run(s)
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
