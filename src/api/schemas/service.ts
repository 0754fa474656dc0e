// Service, Endpoints and EndpointSlice schemas with upstream's strategic-merge metadata.
// upstream: staging/src/k8s.io/api/core/v1/types.go (ServiceSpec, Endpoints) and api/discovery/v1/types.go
import type { Schema } from '../schema.js'
import { registerSchema } from '../schema.js'
import { atomic, bool, conditions, int, intOrString, map, mapList, obj, set, str } from './builders.js'
import { kindSchema } from './meta.js'

/** upstream ObjectReference. */
export const objectReference: Schema = obj({
  kind: str,
  namespace: str,
  name: str,
  uid: str,
  apiVersion: str,
  resourceVersion: str,
  fieldPath: str,
})

const servicePort = obj({ name: str, protocol: str, appProtocol: str, port: int, targetPort: intOrString, nodePort: int })

/** upstream ServiceSpec. */
export const serviceSpec: Schema = obj({
  // upstream: patchMergeKey:"port" patchStrategy:"merge", listMapKey port+protocol
  ports: mapList('port', servicePort),
  selector: map(),
  clusterIP: str,
  clusterIPs: atomic(str),
  type: str,
  externalIPs: atomic(str),
  sessionAffinity: str,
  loadBalancerIP: str,
  loadBalancerSourceRanges: atomic(str),
  externalName: str,
  externalTrafficPolicy: str,
  healthCheckNodePort: int,
  publishNotReadyAddresses: bool,
  sessionAffinityConfig: obj({ clientIP: obj({ timeoutSeconds: int }) }),
  ipFamilies: atomic(str),
  ipFamilyPolicy: str,
  allocateLoadBalancerNodePorts: bool,
  loadBalancerClass: str,
  internalTrafficPolicy: str,
  trafficDistribution: str,
})

const loadBalancerIngress = obj({
  ip: str,
  hostname: str,
  ipMode: str,
  ports: atomic(obj({ port: int, protocol: str, error: str })),
})

/** upstream ServiceStatus. */
export const serviceStatus: Schema = obj({
  loadBalancer: obj({ ingress: atomic(loadBalancerIngress) }),
  conditions,
})

const endpointAddress = obj({ ip: str, hostname: str, nodeName: str, targetRef: objectReference })
const endpointSubset = obj({
  addresses: atomic(endpointAddress),
  notReadyAddresses: atomic(endpointAddress),
  ports: atomic(obj({ name: str, port: int, protocol: str, appProtocol: str })),
})

const endpoint = obj({
  // upstream: +listType=set
  addresses: set(),
  conditions: obj({ ready: bool, serving: bool, terminating: bool }),
  hostname: str,
  targetRef: objectReference,
  deprecatedTopology: map(),
  nodeName: str,
  zone: str,
  hints: obj({ forZones: atomic(obj({ name: str })), forNodes: atomic(obj({ name: str })) }),
})

registerSchema('Service', kindSchema({ spec: serviceSpec, status: serviceStatus }))
registerSchema('Endpoints', kindSchema({ subsets: atomic(endpointSubset) }))
registerSchema(
  'EndpointSlice',
  kindSchema({
    addressType: str,
    // upstream: +listType=atomic for both endpoints and ports
    endpoints: atomic(endpoint),
    ports: atomic(obj({ name: str, protocol: str, port: int, appProtocol: str })),
  }),
)
