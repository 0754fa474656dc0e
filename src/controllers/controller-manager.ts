// Runs the controllers of one process over shared informers: builds the enabled ones, starts the
// informers, and runs every controller until the signal aborts (leader election wraps this in server.ts).
// upstream: cmd/kube-controller-manager/app/controllermanager.go (Run, StartControllers)
import { setMaxListeners } from 'node:events'
import type { Clock } from '../base/clock.js'
import { silentLogger, type Logger } from '../base/logger.js'
import type { RestClient } from '../client/rest-client.js'
import type { Controller, ControllerContext } from './context.js'
import { DeploymentController } from './deployment/controller.js'
import { EndpointSliceController } from './endpointslice/controller.js'
import { SharedInformerFactory } from './informer-factory.js'
import { ReplicaSetController } from './replicaset/controller.js'
import { DaemonSetController } from './daemonset/controller.js'
import { GarbageCollector } from './gc/controller.js'
import { NodeIpamController } from './node-ipam/controller.js'
import { NodeLifecycleController } from './node-lifecycle/controller.js'

/** Settings of individual controllers (flags of `kplab controller-manager`). */
export interface ControllerSettings {
  /** --cluster-cidr: pod CIDRs for node IPAM; unset disables node-ipam. */
  clusterCIDR?: string
  /** --node-cidr-mask-size (default 24). */
  nodeCIDRMaskSize?: number
  /** --node-monitor-grace-period in ms (default 40 s). */
  nodeMonitorGracePeriodMs?: number
  /** How often node lifecycle looks at leases, ms (default 5 s). */
  nodeMonitorPeriodMs?: number
  /** Seconds a pod without a matching toleration stays on an unreachable node (upstream admission: 300). */
  defaultTolerationSeconds?: number
}

/** Options of a ControllerManager. */
export interface ControllerManagerOptions extends ControllerSettings {
  client: RestClient
  clock: Clock
  logger?: Logger
  /** Controllers to run (default: all known). */
  controllers?: string[]
}

type Factory = (ctx: ControllerContext, s: ControllerSettings) => Controller | undefined

/** Every controller kplab knows, by its --controllers name, in start order. */
export const CONTROLLERS: Record<string, Factory> = {
  deployment: (ctx) => new DeploymentController(ctx),
  replicaset: (ctx) => new ReplicaSetController(ctx),
  daemonset: (ctx) => new DaemonSetController(ctx),
  endpointslice: (ctx) => new EndpointSliceController(ctx),
  'node-ipam': (ctx, s) => (s.clusterCIDR ? new NodeIpamController(ctx, s.clusterCIDR, s.nodeCIDRMaskSize ?? 24) : undefined),
  'node-lifecycle': (ctx, s) =>
    new NodeLifecycleController(ctx, { gracePeriodMs: s.nodeMonitorGracePeriodMs, monitorPeriodMs: s.nodeMonitorPeriodMs, defaultTolerationSeconds: s.defaultTolerationSeconds }),
  'garbage-collector': (ctx) => new GarbageCollector(ctx),
}

/** The controllers of one process over one set of shared informers. */
export class ControllerManager {
  readonly informers: SharedInformerFactory
  readonly controllers: Controller[] = []
  private readonly ctx: ControllerContext

  constructor(opts: ControllerManagerOptions) {
    const logger = opts.logger ?? silentLogger()
    this.informers = new SharedInformerFactory({ client: opts.client, clock: opts.clock, logger })
    this.ctx = { client: opts.client, clock: opts.clock, informers: this.informers, logger }
    const names = opts.controllers ?? Object.keys(CONTROLLERS)
    for (const n of names) {
      const make = CONTROLLERS[n]
      if (!make) throw new Error(`unknown controller "${n}"; known: ${Object.keys(CONTROLLERS).join(', ')}`)
      const c = make(this.ctx, opts)
      if (c) this.controllers.push(c)
    }
  }

  /** The controller of that name, if running. */
  controller<T extends Controller>(name: string): T | undefined {
    return this.controllers.find((c) => c.name === name) as T | undefined
  }

  /** Starts the informers and every controller; resolves when the signal aborts and all have stopped. */
  async run(signal: AbortSignal): Promise<void> {
    // Every informer and worker listens on this one signal.
    setMaxListeners(0, signal)
    const informers = this.informers.start(signal)
    await Promise.all(this.controllers.map((c) => c.run(signal)))
    await informers
  }
}
