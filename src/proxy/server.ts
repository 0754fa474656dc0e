// `kplab proxy`: informers for Services and EndpointSlices → change trackers → one sync loop → the
// mode's proxier (userspace listeners today; the iptables proxier plugs into createProxier).
import { EventEmitter } from 'node:events'
import type http from 'node:http'
import { rfc3339 } from '../api/object.js'
import { RESOURCES } from '../api/registry.js'
import type { Event, EndpointSlice, Service } from '../api/types.js'
import type { Clock } from '../base/clock.js'
import { KplabError } from '../base/errors.js'
import { silentLogger, type Logger } from '../base/logger.js'
import type { Rng } from '../base/rng.js'
import { Informer } from '../client/informer.js'
import type { RestClient } from '../client/rest-client.js'
import { EndpointSliceCache, type ProxyEndpoint } from './endpointslice-cache.js'
import { createIptablesModeProxier } from './iptables/mode.js'
import type { IptablesRunner } from './iptables/restore.js'
import { startMetricsServer } from './metrics-server.js'
import { proxyLabelSelector, type ProxyMode, type ProxyOptions } from './options.js'
import { ServiceChangeTracker, type ProxyServicePort, type ServicePortMap } from './service-change-tracker.js'
import { PortalWriter } from './userspace/portals.js'
import { UserspaceProxier } from './userspace/proxier.js'
import type { BalancerWarning } from './userspace/service-balancer.js'

const SERVICES = RESOURCES.find((r) => r.plural === 'services')!
const SLICES = RESOURCES.find((r) => r.plural === 'endpointslices')!
const EVENTS = RESOURCES.find((r) => r.plural === 'events')!

/** What a proxy mode must provide to the daemon. */
export interface Proxier {
  sync(services: ServicePortMap, endpointsOf: (servicePort: string) => readonly ProxyEndpoint[]): Promise<void>
  /** Prometheus text of the mode's own metrics. */
  prometheus(): string
  /** The `/stats` document. */
  stats(): unknown
  /** The `/ports` document. */
  ports(): unknown
  close(): Promise<void>
  /** Both informers have synced (iptables mode writes no rules before, as upstream). */
  informersSynced?(): void
}

/** Ports the daemon is built with; nothing global. */
export interface ProxyDeps {
  client: RestClient
  clock: Clock
  rng: Rng
  logger?: Logger
  /** iptables in the node's namespace (root, --netns); undefined: no rules, loopback listeners only. */
  iptables?: IptablesRunner
  /** Records a Warning Event about a Service (default: through the client). */
  recordEvent?: (port: ProxyServicePort, warning: BalancerWarning) => void
}

/** A mode that exists in the flags but has no proxier yet. */
export class ModeNotWiredError extends KplabError {
  constructor(mode: string) {
    super('ENOTWIRED', `${mode} mode: not wired yet (the iptables proxier plugs into createProxier in src/proxy/server.ts); use --mode userspace`)
  }
}

/** The hook where each mode's proxier is built. */
export function createProxier(mode: ProxyMode, opts: ProxyOptions, deps: ProxyDeps, onWarning: (p: ProxyServicePort, w: BalancerWarning) => void): Proxier {
  if (mode === 'iptables') {
    return createIptablesModeProxier({ clock: deps.clock, logger: deps.logger, iptables: deps.iptables, generator: opts.generator, minSyncPeriodMs: opts.minSyncPeriodMs, syncPeriodMs: opts.syncPeriodMs })
  }
  const proxier = new UserspaceProxier({
    clock: deps.clock,
    rng: deps.rng,
    logger: deps.logger,
    defaultAlgorithm: opts.lbAlgorithm,
    bindAddress: opts.bindAddress,
    portals: deps.iptables !== undefined ? new PortalWriter(deps.iptables) : undefined,
    onWarning,
    udpIdleTimeoutMs: opts.udpIdleTimeoutMs,
  })
  return {
    sync: (s, e) => proxier.sync(s, e),
    prometheus: () => proxier.stats.toPrometheus(),
    stats: () => proxier.stats.toJSON(),
    ports: () => proxier.ports(),
    close: () => proxier.close(false),
  }
}

/**
 * The proxy daemon. Events: 'synced' after every sync (with the number of service ports),
 * 'error' never (sync failures are logged and retried on the next change).
 */
export class ProxyServer extends EventEmitter {
  readonly serviceChanges = new ServiceChangeTracker()
  readonly endpointSlices: EndpointSliceCache
  readonly serviceMap: ServicePortMap = new Map()
  readonly proxier: Proxier
  private endpoints = new Map<string, ProxyEndpoint[]>()
  private readonly log: Logger
  private syncing = false
  private dirty = false
  private metrics?: http.Server
  /** `http://host:port` of /metrics, /stats and /ports once started. */
  metricsUrl = ''
  private eventSeq = 0

  constructor(
    private readonly opts: ProxyOptions,
    private readonly deps: ProxyDeps,
  ) {
    super()
    this.log = deps.logger ?? silentLogger()
    this.endpointSlices = new EndpointSliceCache(opts.hostnameOverride)
    this.proxier = createProxier(opts.mode, opts, deps, (p, w) => (deps.recordEvent ?? ((pp, ww) => void this.recordEvent(pp, ww)))(p, w))
  }

  /** Starts informers and the metrics server; resolves when stopped (signal or stop()). */
  async start(signal: AbortSignal): Promise<void> {
    const { client, clock } = this.deps
    const m = await startMetricsServer(this.opts.metricsHost, this.opts.metricsPort, this.proxier)
    this.metrics = m.server
    this.metricsUrl = m.url
    // Services another proxy claims (and headless ones) never reach this proxy, as upstream.
    const labelSelector = proxyLabelSelector(this.opts.serviceProxyName)
    const services = new Informer<Service>({ client, resource: SERVICES, clock, logger: this.log, labelSelector })
    const slices = new Informer<EndpointSlice>({ client, resource: SLICES, clock, logger: this.log, labelSelector })
    services.addEventHandler({
      onAdd: (s) => this.serviceChanges.update(undefined, s) && this.kick(),
      onUpdate: (a, b) => this.serviceChanges.update(a, b) && this.kick(),
      onDelete: (s) => this.serviceChanges.update(s, undefined) && this.kick(),
    })
    slices.addEventHandler({
      onAdd: (s) => this.endpointSlices.updatePending(s, false) && this.kick(),
      onUpdate: (_a, b) => this.endpointSlices.updatePending(b, false) && this.kick(),
      onDelete: (s) => this.endpointSlices.updatePending(s, true) && this.kick(),
    })
    // Tell the proxier first, then sync once more so it receives the complete cached state.
    void Promise.all([services.synced, slices.synced]).then(() => {
      if (this.proxier.informersSynced === undefined) return
      this.proxier.informersSynced()
      this.kick()
    })
    this.emit('started', this.metricsUrl)
    try {
      await Promise.all([services.start(signal), slices.start(signal)])
    } finally {
      await this.proxier.close()
      await new Promise<void>((resolve) => this.metrics!.close(() => resolve()))
    }
  }

  /** Schedules a sync; changes arriving during one are folded into the next. */
  private kick(): void {
    this.dirty = true
    if (this.syncing) return
    void this.loop()
  }

  private async loop(): Promise<void> {
    this.syncing = true
    try {
      while (this.dirty) {
        this.dirty = false
        await this.syncOnce()
      }
    } finally {
      this.syncing = false
    }
  }

  /** One sync: apply pending changes, recompute endpoints of changed Services, run the proxier. */
  async syncOnce(): Promise<void> {
    const { updatedServices } = this.serviceChanges.applyTo(this.serviceMap)
    const changed = new Set([...updatedServices, ...this.endpointSlices.checkoutChanges()])
    for (const key of changed) {
      for (const k of [...this.endpoints.keys()]) if (k === key || k.startsWith(`${key}:`)) this.endpoints.delete(k)
      for (const [spn, eps] of this.endpointSlices.endpointsForService(key)) this.endpoints.set(spn, eps)
    }
    try {
      await this.proxier.sync(this.serviceMap, (spn) => this.endpoints.get(spn) ?? [])
      this.emit('synced', this.serviceMap.size)
    } catch (e) {
      this.log.error({ err: (e as Error).message }, 'sync failed')
      this.emit('syncError', e)
    }
  }

  private async recordEvent(port: ProxyServicePort, w: BalancerWarning): Promise<void> {
    const { client, clock } = this.deps
    const now = rfc3339(clock.now())
    const ns = port.name.namespace
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${port.name.name}.${clock.now().toString(16)}${(this.eventSeq++).toString(16)}`, namespace: ns },
      involvedObject: { kind: 'Service', apiVersion: 'v1', namespace: ns, name: port.name.name, uid: port.serviceUid },
      reason: w.reason,
      message: w.message,
      type: 'Warning',
      source: { component: 'kplab-proxy', host: this.opts.hostnameOverride },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      reportingComponent: 'kplab-proxy',
      reportingInstance: this.opts.hostnameOverride,
    }
    try {
      await client.create(EVENTS, event)
      this.emit('event', event)
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'event not recorded')
    }
  }
}
