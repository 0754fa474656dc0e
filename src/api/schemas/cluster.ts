// Namespace, Node, Event and Lease schemas.
// upstream: staging/src/k8s.io/api/core/v1/types.go (NamespaceSpec, NodeSpec, NodeStatus, Event)
// and staging/src/k8s.io/api/coordination/v1/types.go (LeaseSpec)
import type { Schema } from '../schema.js'
import { registerSchema } from '../schema.js'
import { any, atomic, bool, conditions, int, map, mapList, obj, set, str } from './builders.js'
import { kindSchema } from './meta.js'
import { objectReference } from './service.js'

const taint = obj({ key: str, value: str, effect: str, timeAdded: str })

/** upstream NodeSpec. */
export const nodeSpec: Schema = obj({
  podCIDR: str,
  // upstream: patchStrategy:"merge", +listType=set
  podCIDRs: set(),
  providerID: str,
  unschedulable: bool,
  taints: atomic(taint),
  configSource: any,
  externalID: str,
})

/** upstream NodeStatus. */
export const nodeStatus: Schema = obj({
  capacity: map(),
  allocatable: map(),
  phase: str,
  conditions,
  // upstream: patchMergeKey:"type" patchStrategy:"merge"
  addresses: mapList('type', obj({ type: str, address: str })),
  daemonEndpoints: obj({ kubeletEndpoint: obj({ Port: int }) }),
  nodeInfo: obj({
    machineID: str,
    systemUUID: str,
    bootID: str,
    kernelVersion: str,
    osImage: str,
    containerRuntimeVersion: str,
    kubeletVersion: str,
    kubeProxyVersion: str,
    operatingSystem: str,
    architecture: str,
    swap: any,
  }),
  images: atomic(obj({ names: atomic(str), sizeBytes: int })),
  volumesInUse: atomic(str),
  volumesAttached: atomic(obj({ name: str, devicePath: str })),
  config: any,
  runtimeHandlers: atomic(any),
  features: any,
})

registerSchema(
  'Namespace',
  kindSchema({
    spec: obj({ finalizers: atomic(str) }),
    status: obj({ phase: str, conditions }),
  }),
)
registerSchema('Node', kindSchema({ spec: nodeSpec, status: nodeStatus }))
registerSchema(
  'Event',
  kindSchema({
    involvedObject: objectReference,
    reason: str,
    message: str,
    source: obj({ component: str, host: str }),
    firstTimestamp: str,
    lastTimestamp: str,
    count: int,
    type: str,
    eventTime: str,
    series: obj({ count: int, lastObservedTime: str }),
    action: str,
    related: objectReference,
    reportingComponent: str,
    reportingInstance: str,
  }),
)
registerSchema(
  'Lease',
  kindSchema({
    spec: obj({
      holderIdentity: str,
      leaseDurationSeconds: int,
      acquireTime: str,
      renewTime: str,
      leaseTransitions: int,
      strategy: str,
      preferredHolder: str,
    }),
  }),
)
