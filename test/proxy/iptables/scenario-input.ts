// Converts the upstream scenario encoding (test/fixtures/iptables/upstream/kp-scenario-N.json)
// into Services, EndpointSlices and generator options.
import type { EndpointSlice, Protocol, Service } from '../../../src/api/types.js'
import type { GeneratorOptions } from '../../../src/proxy/iptables/options.js'

/** A service as the scenario files encode it. */
export interface ScenarioService {
  namespace: string
  name: string
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer'
  clusterIP: string
  externalTrafficPolicy?: 'Local' | 'Cluster'
  internalTrafficPolicy?: 'Local' | 'Cluster'
  healthCheckNodePort?: number
  externalIPs?: string[]
  loadBalancerIngress?: string[]
  loadBalancerSourceRanges?: string[]
  sessionAffinity?: 'ClientIP'
  affinityTimeoutSeconds?: number
  ports: { name: string; port: number; protocol: Protocol; nodePort?: number }[]
}

/** An EndpointSlice as the scenario files encode it. */
export interface ScenarioSlice {
  namespace: string
  service: string
  addressType: 'IPv4' | 'IPv6'
  ports: { name: string; port: number; protocol: Protocol }[]
  endpoints: { addresses: string[]; nodeName?: string | null; ready?: boolean }[]
}

/** Proxier settings as the scenario files encode them. */
export interface ScenarioProxier {
  nodeName: string
  nodeIP: string
  nodeInterfaceAddresses?: string[]
  localTrafficDetector: { mode: 'ClusterCIDR'; clusterCIDR: string }
  masqueradeMark: string
  masqueradeAll: boolean
  localhostNodePorts: boolean
  nodePortAddresses: string[] | null
  nfacctCounters: { ct_state_invalid_dropped_pkts: boolean; localhost_nps_accepted_pkts: boolean }
  conntrackTCPLiberal: boolean
  hasRandomFully: boolean
}

/** Builds a core/v1 Service. */
export function toService(s: ScenarioService): Service {
  const svc: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: s.namespace, name: s.name },
    spec: {
      type: s.type,
      clusterIP: s.clusterIP,
      ports: s.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol, ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}) })),
    },
  }
  if (s.externalTrafficPolicy) svc.spec.externalTrafficPolicy = s.externalTrafficPolicy
  if (s.internalTrafficPolicy) svc.spec.internalTrafficPolicy = s.internalTrafficPolicy
  if (s.healthCheckNodePort) svc.spec.healthCheckNodePort = s.healthCheckNodePort
  if (s.externalIPs) svc.spec.externalIPs = s.externalIPs
  if (s.loadBalancerSourceRanges) svc.spec.loadBalancerSourceRanges = s.loadBalancerSourceRanges
  if (s.sessionAffinity) {
    svc.spec.sessionAffinity = s.sessionAffinity
    svc.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: s.affinityTimeoutSeconds ?? 10800 } }
  }
  if (s.loadBalancerIngress) svc.status = { loadBalancer: { ingress: s.loadBalancerIngress.map((ip) => ({ ip })) } }
  return svc
}

/** Builds a discovery/v1 EndpointSlice. */
export function toSlice(s: ScenarioSlice, suffix = 'abc'): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace: s.namespace, name: `${s.service}-${suffix}`, labels: { 'kubernetes.io/service-name': s.service } },
    addressType: s.addressType,
    ports: s.ports,
    endpoints: s.endpoints.map((e) => ({
      addresses: e.addresses,
      ...(e.nodeName ? { nodeName: e.nodeName } : {}),
      ...(e.ready !== undefined ? { conditions: { ready: e.ready } } : {}),
    })),
  }
}

/** Builds generator options equal to the upstream test harness's proxier. */
export function toOptions(p: ScenarioProxier): Partial<GeneratorOptions> {
  const ifaces = (p.nodeInterfaceAddresses ?? []).map((a) => a.split('/')[0]!)
  return {
    ipFamily: 'IPv4',
    hostname: p.nodeName,
    nodeIPs: [p.nodeIP, ...ifaces.filter((a) => a !== p.nodeIP)],
    localDetector: { mode: 'ClusterCIDR', cidr: p.localTrafficDetector.clusterCIDR },
    masqueradeMark: p.masqueradeMark,
    masqueradeAll: p.masqueradeAll,
    localhostNodePorts: p.localhostNodePorts,
    nodePortAddresses: p.nodePortAddresses ?? [],
    nfacct: { ctStateInvalidDroppedPkts: p.nfacctCounters.ct_state_invalid_dropped_pkts, localhostNodePortsAcceptedPkts: p.nfacctCounters.localhost_nps_accepted_pkts },
    conntrackTCPLiberal: p.conntrackTCPLiberal,
    randomFully: p.hasRandomFully,
  }
}
