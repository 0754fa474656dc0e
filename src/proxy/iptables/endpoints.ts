// EndpointSlices → endpoints per service port, and upstream's categorizeEndpoints.
import type { EndpointSlice } from '../../api/types.js'
import { servicePortEndpointChainName } from './chain-names.js'
import { canonicalIP, joinHostPort, type IPFamily } from './ip.js'
import { servicePortNameString, usesClusterEndpoints, usesLocalEndpoints, type ServicePortInfo } from './service-port.js'

/** One endpoint of one service port (upstream endpointInfo). */
export interface EndpointInfo {
  ip: string
  port: number
  /** `JoinHostPort(ip, port)`: the sort key, comment text and DNAT target. */
  endpoint: string
  isLocal: boolean
  ready: boolean
  serving: boolean
  terminating: boolean
  nodeName: string | undefined
}

/** The label that ties an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'

/** Endpoints keyed by ServicePortName string ("ns/svc:port"), each list sorted by `ip:port`. */
export type EndpointsMap = Map<string, EndpointInfo[]>

/** Builds the endpoints map from EndpointSlices for a proxier on `nodeName` of `family`. */
// upstream: pkg/proxy/endpointslicecache.go (addEndpoints, endpointInfoByServicePort)
export function buildEndpointsMap(slices: readonly EndpointSlice[], nodeName: string, family: IPFamily = 'IPv4'): EndpointsMap {
  const sets = new Map<string, Map<string, EndpointInfo>>()
  for (const slice of slices) {
    if (slice.addressType !== family) continue
    const svcName = slice.metadata.labels?.[SERVICE_NAME_LABEL]
    if (svcName === undefined || svcName === '') continue
    const namespace = slice.metadata.namespace ?? 'default'
    for (const port of slice.ports ?? []) {
      if (port.port === undefined || port.port === 0) continue
      const key = servicePortNameString({ namespace, name: svcName, port: port.name ?? '' })
      let set = sets.get(key)
      if (set === undefined) {
        set = new Map()
        sets.set(key, set)
      }
      for (const ep of slice.endpoints ?? []) {
        if (ep.addresses === undefined || ep.addresses.length === 0) continue
        const ip = canonicalIP(ep.addresses[0]!)
        if (ip === undefined || (ip.includes(':') ? 'IPv6' : 'IPv4') !== family) continue
        const endpoint = joinHostPort(ip, port.port)
        // Duplicates across slices collapse to one entry per ip:port, as upstream's map does.
        if (set.has(endpoint)) continue
        const c = ep.conditions ?? {}
        set.set(endpoint, {
          ip,
          port: port.port,
          endpoint,
          isLocal: ep.nodeName !== undefined && ep.nodeName === nodeName,
          // upstream: a missing ready/serving condition counts as true, a missing terminating as false.
          ready: c.ready ?? true,
          serving: c.serving ?? true,
          terminating: c.terminating ?? false,
          nodeName: ep.nodeName,
        })
      }
    }
  }
  const out: EndpointsMap = new Map()
  for (const [key, set] of sets) {
    // upstream sorts by the `ip:port` string (byte order), so "10.1.1.11:11" < "10.1.1.1:11".
    out.set(key, [...set.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0)))
  }
  return out
}

/** The KUBE-SEP chain of an endpoint of a service port. */
export function endpointChainName(svc: ServicePortInfo, ep: EndpointInfo): string {
  return servicePortEndpointChainName(svc.nameString, svc.protocol, ep.endpoint)
}

/** The result of categorizeEndpoints. */
export interface CategorizedEndpoints {
  clusterEndpoints: EndpointInfo[]
  localEndpoints: EndpointInfo[]
  allReachableEndpoints: EndpointInfo[]
  hasAnyEndpoints: boolean
}

function allReady(endpoints: readonly EndpointInfo[]): boolean {
  for (const ep of endpoints) if (!ep.ready) return false
  return true
}

function byEndpoint(a: EndpointInfo, b: EndpointInfo): number {
  return a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0
}

/**
 * Splits a service port's endpoints into those Cluster policy uses, those Local policy uses, and
 * all that need SEP chains. Topology hints are not modelled (every ready endpoint is eligible).
 */
// upstream: pkg/proxy/topology.go (CategorizeEndpoints)
export function categorizeEndpoints(endpoints: readonly EndpointInfo[], svc: ServicePortInfo): CategorizedEndpoints {
  let clusterEndpoints: EndpointInfo[] = []
  let localEndpoints: EndpointInfo[] = []
  let hasAnyEndpoints = false
  if (usesClusterEndpoints(svc)) {
    // Usually every endpoint is ready: share the list instead of copying it (10k services per sync).
    clusterEndpoints = allReady(endpoints) ? (endpoints as EndpointInfo[]) : endpoints.filter((ep) => ep.ready)
    // No ready endpoint anywhere: fall back to serving-and-terminating ones.
    if (clusterEndpoints.length === 0) clusterEndpoints = endpoints.filter((ep) => ep.serving && ep.terminating)
    if (clusterEndpoints.length > 0) hasAnyEndpoints = true
  }
  if (!usesLocalEndpoints(svc)) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: clusterEndpoints, hasAnyEndpoints }
  }
  let hasLocalReady = false
  let hasLocalServingTerminating = false
  for (const ep of endpoints) {
    if (ep.ready) {
      hasAnyEndpoints = true
      if (ep.isLocal) hasLocalReady = true
    } else if (ep.serving && ep.terminating) {
      hasAnyEndpoints = true
      if (ep.isLocal) hasLocalServingTerminating = true
    }
  }
  let useServingTerminating = false
  if (hasLocalReady) {
    localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.ready)
  } else if (hasLocalServingTerminating) {
    useServingTerminating = true
    localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.serving && ep.terminating)
  }
  if (!usesClusterEndpoints(svc)) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: localEndpoints, hasAnyEndpoints }
  }
  if (!useServingTerminating) {
    // localEndpoints ⊆ clusterEndpoints here (both are ready endpoints).
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: clusterEndpoints, hasAnyEndpoints }
  }
  // Upstream merges through a Go map (random order); kplab sorts the union by ip:port instead.
  const union = new Map<string, EndpointInfo>()
  for (const ep of clusterEndpoints) union.set(ep.endpoint, ep)
  for (const ep of localEndpoints) union.set(ep.endpoint, ep)
  return { clusterEndpoints, localEndpoints, allReachableEndpoints: [...union.values()].sort(byEndpoint), hasAnyEndpoints }
}
