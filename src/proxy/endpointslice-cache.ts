// Informer events for EndpointSlices → endpoints per service port, for both proxy modes.
// upstream: pkg/proxy/endpointslicecache.go (EndpointSliceCache: updatePending, checkoutChanges)
import type { EndpointSlice } from '../api/types.js'
import { buildEndpointsMap, SERVICE_NAME_LABEL, type EndpointInfo } from './iptables/endpoints.js'
import type { IPFamily } from './iptables/ip.js'

/** One endpoint of one service port, with the zone the iptables generator does not need. */
export interface ProxyEndpoint extends EndpointInfo {
  zone: string | undefined
}

/** Endpoints keyed by ServicePortName string, each list sorted by `ip:port`. */
export type ProxyEndpointsMap = Map<string, ProxyEndpoint[]>

/** Holds every EndpointSlice by Service, and which Services changed since the last checkout. */
export class EndpointSliceCache {
  private readonly byService = new Map<string, Map<string, EndpointSlice>>()
  private readonly changed = new Set<string>()

  constructor(
    private readonly nodeName: string,
    private readonly family: IPFamily = 'IPv4',
  ) {}

  /** Records a slice added/updated (`remove` false) or deleted; returns false for slices of no Service. */
  updatePending(slice: EndpointSlice, remove: boolean): boolean {
    const svc = slice.metadata.labels?.[SERVICE_NAME_LABEL]
    if (svc === undefined || svc === '') return false
    const key = `${slice.metadata.namespace ?? 'default'}/${svc}`
    let slices = this.byService.get(key)
    if (slices === undefined) {
      slices = new Map()
      this.byService.set(key, slices)
    }
    if (remove) slices.delete(slice.metadata.name ?? '')
    else slices.set(slice.metadata.name ?? '', slice)
    if (slices.size === 0) this.byService.delete(key)
    this.changed.add(key)
    return true
  }

  /** Whether changes wait for the next sync. */
  get pending(): boolean {
    return this.changed.size > 0
  }

  /** Returns and clears the `namespace/name` of Services whose slices changed. */
  checkoutChanges(): Set<string> {
    const out = new Set(this.changed)
    this.changed.clear()
    return out
  }

  /** Every slice the cache holds (the iptables generator takes them whole). */
  allSlices(): EndpointSlice[] {
    const out: EndpointSlice[] = []
    for (const m of this.byService.values()) out.push(...m.values())
    return out
  }

  /** The endpoints of every port of Service `key` (`namespace/name`). */
  endpointsForService(key: string): ProxyEndpointsMap {
    const slices = [...(this.byService.get(key)?.values() ?? [])]
    const base = buildEndpointsMap(slices, this.nodeName, this.family)
    const zones = new Map<string, string | undefined>()
    for (const s of slices) for (const e of s.endpoints ?? []) if (e.addresses?.[0] !== undefined) zones.set(e.addresses[0], e.zone)
    const out: ProxyEndpointsMap = new Map()
    for (const [spn, eps] of base) out.set(spn, eps.map((e) => ({ ...e, zone: zones.get(e.ip) })))
    return out
  }
}
