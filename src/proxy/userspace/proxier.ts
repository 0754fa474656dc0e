// The userspace proxier: service ports and endpoints in, one listener per service port out
// (TCP per connection, UDP per flow, HTTP per request when appProtocol is http), each with its own
// balancer. Orchestration only: listeners move bytes, lb/ decides, portals.ts writes nat rules.
import type { Clock } from '../../base/clock.js'
import { silentLogger, type Logger } from '../../base/logger.js'
import type { Rng } from '../../base/rng.js'
import type { EndpointSpec } from '../../lb/balancer.js'
import type { ProxyEndpoint } from '../endpointslice-cache.js'
import { categorizeEndpoints } from '../iptables/endpoints.js'
import type { ProxyServicePort, ServicePortMap } from '../service-change-tracker.js'
import { HttpProxy } from './http-proxy.js'
import { PortRuntime } from './port-runtime.js'
import type { PortalMapping, PortalWriter } from './portals.js'
import { balancerConfigKey, balancerFor, type BalancerWarning } from './service-balancer.js'
import { ProxyStats } from './stats.js'
import { TcpProxy } from './tcp-proxy.js'
import { UdpProxy } from './udp-proxy.js'

/** Which listener a service port gets. */
export type ListenerKind = 'tcp' | 'udp' | 'http'

/** The listener kind for a port: HTTP when appProtocol says so, else by protocol (SCTP unsupported). */
export function listenerKind(port: ProxyServicePort): ListenerKind | undefined {
  if (port.protocol === 'udp') return 'udp'
  if (port.protocol !== 'tcp') return undefined
  const ap = (port.appProtocol ?? '').toLowerCase()
  return ap === 'http' || ap === 'kubernetes.io/http' ? 'http' : 'tcp'
}

/** One row of `kplab proxy ports`: a service port and where the proxy listens for it. */
export interface PortMappingInfo extends PortalMapping {
  kind: ListenerKind
  algorithm: string
  listenAddress: string
  endpoints: number
}

/** Options of the userspace proxier. */
export interface UserspaceProxierOptions {
  clock: Clock
  rng: Rng
  logger?: Logger
  /** Algorithm for Services without `kplab.io/lb-algorithm` (`--lb-algorithm`). */
  defaultAlgorithm: string
  /** Address the listeners bind (127.0.0.1 without portals; 0.0.0.0 when nat rules REDIRECT to them). */
  bindAddress: string
  stats?: ProxyStats
  /** Writes REDIRECT rules when the proxy runs as root in the node's namespace. */
  portals?: PortalWriter
  /** Reports a refused per-Service choice (the server turns it into a Warning Event on the Service). */
  onWarning?: (port: ProxyServicePort, warning: BalancerWarning) => void
  /** UDP flow idle timeout (default 30 s). */
  udpIdleTimeoutMs?: number
}

interface Listener {
  kind: ListenerKind
  server: TcpProxy | UdpProxy | HttpProxy
  runtime: PortRuntime
  configKey: string
  port: ProxyServicePort
  listenPort: number
  endpoints: number
}

/** Balancer endpoint specs for a port: reachable endpoints take traffic; the others only finish theirs. */
export function endpointSpecs(port: ProxyServicePort, endpoints: readonly ProxyEndpoint[]): EndpointSpec[] {
  const { allReachableEndpoints } = categorizeEndpoints(endpoints, port)
  const reachable = new Set(allReachableEndpoints.map((e) => e.endpoint))
  return endpoints.map((e) => ({ id: e.endpoint, ready: reachable.has(e.endpoint) }))
}

/** Runs the listeners of every service port. */
export class UserspaceProxier {
  readonly stats: ProxyStats
  private readonly listeners = new Map<string, Listener>()
  private readonly warned = new Map<string, string>()
  private readonly log: Logger

  constructor(private readonly opts: UserspaceProxierOptions) {
    this.stats = opts.stats ?? new ProxyStats()
    this.log = opts.logger ?? silentLogger()
  }

  /**
   * Brings listeners in line with `services`: opens new ones, closes removed ones (their open
   * connections finish), rebuilds balancers whose annotations changed and updates endpoints.
   */
  async sync(services: ServicePortMap, endpointsOf: (servicePort: string) => readonly ProxyEndpoint[]): Promise<void> {
    for (const [name, l] of this.listeners) {
      const p = services.get(name)
      if (p === undefined || listenerKind(p) !== l.kind) {
        this.listeners.delete(name)
        this.stats.remove(name)
        // Not awaited: a draining listener resolves only when its last connection ends.
        void l.server.close(true)
        this.log.info({ servicePort: name }, 'closed listener')
      }
    }
    for (const [name, port] of services) {
      const kind = listenerKind(port)
      if (kind === undefined) continue
      const specs = endpointSpecs(port, endpointsOf(name))
      const key = balancerConfigKey(port, this.opts.defaultAlgorithm)
      let l = this.listeners.get(name)
      if (l === undefined) {
        const choice = this.choose(port)
        const runtime = new PortRuntime(choice.balancer, this.stats.port(name, port.protocol, choice.balancer.algorithm))
        runtime.setEndpoints(specs)
        const common = { runtime, clock: this.opts.clock, host: this.opts.bindAddress }
        const server = kind === 'tcp' ? new TcpProxy(common) : kind === 'http' ? new HttpProxy(common) : new UdpProxy({ ...common, idleTimeoutMs: this.opts.udpIdleTimeoutMs })
        const listenPort = await server.listen()
        l = { kind, server, runtime, configKey: key, port, listenPort, endpoints: 0 }
        this.listeners.set(name, l)
        this.log.info({ servicePort: name, kind, listenPort, algorithm: choice.balancer.algorithm }, 'opened listener')
      } else if (l.configKey !== key) {
        l.runtime.setBalancer(this.choose(port).balancer, specs)
        l.configKey = key
      } else {
        l.runtime.setEndpoints(specs)
      }
      l.port = port
      l.endpoints = specs.filter((s) => s.ready !== false).length
      if (l.server instanceof HttpProxy) l.server.pool.prune(new Set(specs.filter((s) => s.ready !== false).map((s) => s.id)))
    }
    if (this.opts.portals) await this.opts.portals.sync(this.ports())
  }

  private choose(port: ProxyServicePort): ReturnType<typeof balancerFor> {
    const choice = balancerFor(port, this.opts.defaultAlgorithm, { clock: this.opts.clock, rng: this.opts.rng })
    const prev = this.warned.get(port.nameString)
    if (choice.warning !== undefined && prev !== choice.warning.message) {
      this.warned.set(port.nameString, choice.warning.message)
      this.log.warn({ servicePort: port.nameString, reason: choice.warning.reason }, choice.warning.message)
      this.opts.onWarning?.(port, choice.warning)
    } else if (choice.warning === undefined) {
      this.warned.delete(port.nameString)
    }
    return choice
  }

  /** Every service port and the local port serving it, sorted by name. */
  ports(): PortMappingInfo[] {
    return [...this.listeners.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, l]) => ({
        servicePort: name,
        protocol: l.port.protocol,
        clusterIP: l.port.clusterIP,
        port: l.port.port,
        externalIPs: l.port.externalIPs,
        nodePort: l.port.nodePort,
        proxyPort: l.listenPort,
        kind: l.kind,
        algorithm: l.runtime.balancer.algorithm,
        listenAddress: this.opts.bindAddress,
        endpoints: l.endpoints,
      }))
  }

  /** The listener port of a service port (tests and `kplab proxy ports`). */
  listenPort(servicePort: string): number | undefined {
    return this.listeners.get(servicePort)?.listenPort
  }

  /** Closes every listener; with `drain` false, open connections are cut too. */
  async close(drain = false): Promise<void> {
    const all = [...this.listeners.values()]
    this.listeners.clear()
    await Promise.all(all.map((l) => l.server.close(drain)))
  }
}
