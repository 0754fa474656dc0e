// Service, Endpoints and EndpointSlice types as upstream core/v1 and discovery.k8s.io/v1.
import type { KubeObject } from '../meta.js'
import type { IntOrString } from './pod.js'

/** Transport protocol of a port. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP'

/** One port of a Service. */
export interface ServicePort {
  name?: string
  protocol?: Protocol
  appProtocol?: string
  port: number
  targetPort?: IntOrString
  nodePort?: number
}

/** Session affinity settings for ClientIP affinity. */
export interface SessionAffinityConfig {
  clientIP?: { timeoutSeconds?: number }
}

/** The desired state of a Service. */
export interface ServiceSpec {
  ports?: ServicePort[]
  selector?: Record<string, string>
  clusterIP?: string
  clusterIPs?: string[]
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName'
  externalIPs?: string[]
  sessionAffinity?: 'None' | 'ClientIP'
  sessionAffinityConfig?: SessionAffinityConfig
  loadBalancerIP?: string
  loadBalancerSourceRanges?: string[]
  loadBalancerClass?: string
  externalName?: string
  externalTrafficPolicy?: 'Cluster' | 'Local'
  internalTrafficPolicy?: 'Cluster' | 'Local'
  healthCheckNodePort?: number
  publishNotReadyAddresses?: boolean
  ipFamilies?: ('IPv4' | 'IPv6')[]
  ipFamilyPolicy?: 'SingleStack' | 'PreferDualStack' | 'RequireDualStack'
  allocateLoadBalancerNodePorts?: boolean
  trafficDistribution?: string
}

/** One load-balancer ingress point. */
export interface LoadBalancerIngress {
  ip?: string
  hostname?: string
  ipMode?: 'VIP' | 'Proxy'
  ports?: { port: number; protocol: Protocol; error?: string }[]
}

/** The observed state of a Service. */
export interface ServiceStatus {
  loadBalancer?: { ingress?: LoadBalancerIngress[] }
  conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[]
}

/** A Service (core/v1). */
export interface Service extends KubeObject {
  spec: ServiceSpec
  status?: ServiceStatus
}

/** A reference to an object (an endpoint's pod, an event's subject). */
export interface ObjectReference {
  kind?: string
  namespace?: string
  name?: string
  uid?: string
  apiVersion?: string
  resourceVersion?: string
  fieldPath?: string
}

/** One address of an Endpoints subset. */
export interface EndpointAddress {
  ip: string
  hostname?: string
  nodeName?: string
  targetRef?: ObjectReference
}

/** One port of an Endpoints subset. */
export interface EndpointPort {
  name?: string
  port: number
  protocol?: Protocol
  appProtocol?: string
}

/** A group of addresses sharing ports. */
export interface EndpointSubset {
  addresses?: EndpointAddress[]
  notReadyAddresses?: EndpointAddress[]
  ports?: EndpointPort[]
}

/** Endpoints (core/v1), the legacy form of a Service's backends. */
export interface Endpoints extends KubeObject {
  subsets?: EndpointSubset[]
}

/** Readiness of one EndpointSlice endpoint. */
export interface EndpointConditions {
  ready?: boolean
  serving?: boolean
  terminating?: boolean
}

/** One backend of an EndpointSlice. */
export interface Endpoint {
  addresses: string[]
  conditions?: EndpointConditions
  hostname?: string
  targetRef?: ObjectReference
  nodeName?: string
  zone?: string
  hints?: { forZones?: { name: string }[]; forNodes?: { name: string }[] }
}

/** One port of an EndpointSlice (all fields optional, as upstream). */
export interface EndpointSlicePort {
  name?: string
  protocol?: Protocol
  port?: number
  appProtocol?: string
}

/** An EndpointSlice (discovery.k8s.io/v1). */
export interface EndpointSlice extends KubeObject {
  addressType: 'IPv4' | 'IPv6' | 'FQDN'
  endpoints: Endpoint[]
  ports?: EndpointSlicePort[]
}
