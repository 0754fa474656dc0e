// Services → one ServicePortInfo per spec.ports[i], as upstream's ServiceChangeTracker builds them.
import type { Service } from '../../api/types.js'
import { hash16 } from './chain-names.js'
import { canonicalIP, formatCIDR, parseCIDR, type IPFamily } from './ip.js'

/** Identity of one service port: namespace, name and port name (upstream proxy.ServicePortName). */
export interface ServicePortName {
  namespace: string
  name: string
  port: string
}

/** `ns/name` plus `:port` when the port is named (upstream ServicePortName.String()). */
// upstream: pkg/proxy/types.go (ServicePortName.String)
export function servicePortNameString(s: ServicePortName): string {
  return `${s.namespace}/${s.name}${s.port === '' ? '' : `:${s.port}`}`
}

/** Everything the rule generator needs about one service port, precomputed once. */
export interface ServicePortInfo {
  name: ServicePortName
  /** `ServicePortName.String()`, also the sort key and comment text. */
  nameString: string
  /** `namespace/name` of the Service (partial syncs work at this granularity). */
  serviceKey: string
  /** Lower-case protocol: tcp | udp | sctp. */
  protocol: string
  clusterIP: string
  port: number
  nodePort: number
  externalIPs: string[]
  loadBalancerVIPs: string[]
  loadBalancerSourceRanges: string[]
  healthCheckNodePort: number
  sessionAffinityClientIP: boolean
  stickyMaxAgeSeconds: number
  externalPolicyLocal: boolean
  internalPolicyLocal: boolean
  clusterPolicyChainName: string
  localPolicyChainName: string
  externalChainName: string
  firewallChainName: string
}

/** ExternallyAccessible: a NodePort, external IPs or LB IPs. */
// upstream: pkg/proxy/serviceport.go (ExternallyAccessible)
export function externallyAccessible(s: ServicePortInfo): boolean {
  return s.nodePort !== 0 || s.loadBalancerVIPs.length > 0 || s.externalIPs.length > 0
}

/** UsesClusterEndpoints: iTP≠Local, or reachable from outside. */
// upstream: pkg/proxy/serviceport.go (UsesClusterEndpoints)
export function usesClusterEndpoints(s: ServicePortInfo): boolean {
  return !s.internalPolicyLocal || externallyAccessible(s)
}

/** UsesLocalEndpoints: iTP=Local, or eTP=Local and reachable from outside. */
// upstream: pkg/proxy/serviceport.go (UsesLocalEndpoints)
export function usesLocalEndpoints(s: ServicePortInfo): boolean {
  return s.internalPolicyLocal || (s.externalPolicyLocal && externallyAccessible(s))
}

const DEFAULT_CLIENT_IP_TIMEOUT = 10800

function filterIPs(ips: readonly string[] | undefined, family: IPFamily): string[] {
  const out: string[] = []
  for (const raw of ips ?? []) {
    const ip = canonicalIP(raw)
    if (ip !== undefined && (ip.includes(':') ? 'IPv6' : 'IPv4') === family) out.push(ip)
  }
  return out
}

/** True when upstream skips the Service: headless, no cluster IP, or ExternalName. */
// upstream: pkg/proxy/util/utils.go (ShouldSkipService)
export function shouldSkipService(svc: Service): boolean {
  const ip = svc.spec?.clusterIP
  if (ip === undefined || ip === '' || ip === 'None') return true
  return svc.spec.type === 'ExternalName'
}

/** The cluster IP of the given family, from clusterIPs (dual stack) or clusterIP. */
function clusterIPFor(svc: Service, family: IPFamily): string | undefined {
  const candidates = svc.spec.clusterIPs !== undefined && svc.spec.clusterIPs.length > 0 ? svc.spec.clusterIPs : [svc.spec.clusterIP ?? '']
  for (const c of candidates) {
    const ip = canonicalIP(c)
    if (ip !== undefined && (ip.includes(':') ? 'IPv6' : 'IPv4') === family) return ip
  }
  return undefined
}

/** Builds the service ports of one Service for a proxier of `family` (empty if skipped). */
// upstream: pkg/proxy/servicechangetracker.go (serviceToServiceMap) and pkg/proxy/serviceport.go (newBaseServiceInfo)
export function servicePortsOf(svc: Service, family: IPFamily = 'IPv4'): ServicePortInfo[] {
  if (shouldSkipService(svc)) return []
  const clusterIP = clusterIPFor(svc, family)
  if (clusterIP === undefined) return []
  const namespace = svc.metadata.namespace ?? 'default'
  const name = svc.metadata.name ?? ''
  const spec = svc.spec
  const type = spec.type ?? 'ClusterIP'
  const externalIPs = filterIPs(spec.externalIPs, family)
  // Only VIP-mode ingress IPs are proxied; ipMode Proxy means the LB delivers to the node.
  const lbIngress = (svc.status?.loadBalancer?.ingress ?? []).filter((i) => i.ip !== undefined && i.ipMode !== 'Proxy').map((i) => i.ip!)
  const loadBalancerVIPs = type === 'LoadBalancer' ? filterIPs(lbIngress, family) : []
  const ranges: string[] = []
  let allowAll = false
  for (const raw of spec.loadBalancerSourceRanges ?? []) {
    const c = parseCIDR(raw.trim())
    if (c === undefined || c.family !== family) continue
    if (c.prefix === 0) allowAll = true
    ranges.push(formatCIDR(c))
  }
  const externalPolicyLocal = (type === 'NodePort' || type === 'LoadBalancer') && spec.externalTrafficPolicy === 'Local'
  const healthCheckNodePort = type === 'LoadBalancer' && externalPolicyLocal ? (spec.healthCheckNodePort ?? 0) : 0
  const clientIP = spec.sessionAffinity === 'ClientIP'
  const out: ServicePortInfo[] = []
  for (const p of spec.ports ?? []) {
    const spn: ServicePortName = { namespace, name, port: p.name ?? '' }
    const nameString = servicePortNameString(spn)
    const protocol = (p.protocol ?? 'TCP').toLowerCase()
    // SVC, SVL, EXT and FW share one hash (chain-names.ts has the per-prefix functions).
    const h = hash16(nameString + protocol)
    out.push({
      name: spn,
      nameString,
      serviceKey: `${namespace}/${name}`,
      protocol,
      clusterIP,
      port: p.port,
      nodePort: p.nodePort ?? 0,
      externalIPs,
      loadBalancerVIPs,
      loadBalancerSourceRanges: allowAll ? [] : ranges,
      healthCheckNodePort,
      sessionAffinityClientIP: clientIP,
      stickyMaxAgeSeconds: clientIP ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_CLIENT_IP_TIMEOUT) : 0,
      externalPolicyLocal,
      internalPolicyLocal: spec.internalTrafficPolicy === 'Local',
      clusterPolicyChainName: `KUBE-SVC-${h}`,
      localPolicyChainName: `KUBE-SVL-${h}`,
      externalChainName: `KUBE-EXT-${h}`,
      firewallChainName: `KUBE-FW-${h}`,
    })
  }
  return out
}
