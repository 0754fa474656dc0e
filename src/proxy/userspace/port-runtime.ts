// What a listener consults per connection or request: the service port's balancer, the address of
// each endpoint id, and the counters. The proxier swaps the contents on updates; listeners keep the
// same object, so an update never touches a connection in flight.
import type { Balancer, EndpointSpec } from '../../lb/balancer.js'
import type { ServicePortStats } from './stats.js'

/** Where an endpoint id points. */
export interface EndpointAddress {
  host: string
  port: number
}

/** Splits `10.0.0.1:80` or `[fd00::1]:80` into host and port; undefined when malformed. */
export function parseEndpointId(id: string): EndpointAddress | undefined {
  const i = id.lastIndexOf(':')
  if (i <= 0) return undefined
  let host = id.slice(0, i)
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1)
  const port = Number(id.slice(i + 1))
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined
  return { host, port }
}

/** The live state of one service port shared by its listener(s). */
export class PortRuntime {
  private readonly addresses = new Map<string, EndpointAddress>()

  constructor(
    public balancer: Balancer,
    readonly stats: ServicePortStats,
  ) {}

  /** Replaces the endpoint list (ready ones take new traffic; others only finish theirs). */
  setEndpoints(endpoints: readonly EndpointSpec[]): void {
    for (const e of endpoints) {
      if (!this.addresses.has(e.id)) {
        const a = parseEndpointId(e.id)
        if (a !== undefined) this.addresses.set(e.id, a)
      }
    }
    this.balancer.update(endpoints)
  }

  /** Replaces the balancer (new algorithm or params), carrying the endpoint list over. */
  setBalancer(balancer: Balancer, endpoints: readonly EndpointSpec[]): void {
    balancer.update(endpoints)
    this.balancer = balancer
    this.stats.algorithm = balancer.algorithm
  }

  /** The address of an endpoint id (kept after removal so late connections still resolve). */
  address(id: string): EndpointAddress | undefined {
    let a = this.addresses.get(id)
    if (a === undefined) {
      a = parseEndpointId(id)
      if (a !== undefined) this.addresses.set(id, a)
    }
    return a
  }
}
