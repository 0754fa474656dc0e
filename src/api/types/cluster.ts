// Namespace, Node, Event and Lease types as upstream core/v1 and coordination.k8s.io/v1.
import type { KubeObject } from '../meta.js'
import type { ConditionStatus } from './pod.js'
import type { ObjectReference } from './service.js'

/** A Namespace (core/v1). */
export interface Namespace extends KubeObject {
  spec?: { finalizers?: string[] }
  status?: {
    phase?: 'Active' | 'Terminating'
    conditions?: { type: string; status: ConditionStatus; reason?: string; message?: string; lastTransitionTime?: string }[]
  }
}

/** A taint on a node, repelling pods that do not tolerate it. */
export interface Taint {
  key: string
  value?: string
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute'
  timeAdded?: string
}

/** One node condition (Ready, MemoryPressure, …). */
export interface NodeCondition {
  type: string
  status: ConditionStatus
  lastHeartbeatTime?: string
  lastTransitionTime?: string
  reason?: string
  message?: string
}

/** One address of a node. */
export interface NodeAddress {
  type: 'Hostname' | 'InternalIP' | 'ExternalIP' | 'InternalDNS' | 'ExternalDNS'
  address: string
}

/** The node's software versions as the kubelet reports them. */
export interface NodeSystemInfo {
  machineID: string
  systemUUID: string
  bootID: string
  kernelVersion: string
  osImage: string
  containerRuntimeVersion: string
  kubeletVersion: string
  kubeProxyVersion: string
  operatingSystem: string
  architecture: string
}

/** The desired state of a node. */
export interface NodeSpec {
  podCIDR?: string
  podCIDRs?: string[]
  providerID?: string
  unschedulable?: boolean
  taints?: Taint[]
}

/** The observed state of a node. */
export interface NodeStatus {
  capacity?: Record<string, string>
  allocatable?: Record<string, string>
  phase?: string
  conditions?: NodeCondition[]
  addresses?: NodeAddress[]
  daemonEndpoints?: { kubeletEndpoint?: { Port: number } }
  nodeInfo?: NodeSystemInfo
}

/** A Node (core/v1). */
export interface Node extends KubeObject {
  spec?: NodeSpec
  status?: NodeStatus
}

/** A core/v1 Event. */
export interface Event extends KubeObject {
  involvedObject: ObjectReference
  reason?: string
  message?: string
  source?: { component?: string; host?: string }
  firstTimestamp?: string | null
  lastTimestamp?: string | null
  count?: number
  type?: 'Normal' | 'Warning'
  eventTime?: string | null
  series?: { count?: number; lastObservedTime?: string }
  action?: string
  related?: ObjectReference
  reportingComponent?: string
  reportingInstance?: string
}

/** A Lease (coordination.k8s.io/v1), used for leader election and node heartbeats. */
export interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string
    leaseDurationSeconds?: number
    acquireTime?: string
    renewTime?: string
    leaseTransitions?: number
    strategy?: string
    preferredHolder?: string
  }
}
