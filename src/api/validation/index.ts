// One entry point for validation: the admission chain calls validate(resource, obj, old?) after defaulting.
import type { StatusCause } from '../errors.js'
import type { KubeObject } from '../meta.js'
import type { ResourceInfo } from '../registry.js'
import { validateDaemonSet, validateDeployment, validateReplicaSet } from './apps.js'
import { validateEvent, validateLease, validateNamespace, validateNode } from './cluster.js'
import { validateEndpointSlice, validateEndpoints } from './endpoints.js'
import { validateObjectMeta, validateObjectMetaUpdate, nameFn } from './meta.js'
import { isDNS1123Subdomain } from './names.js'
import { validatePod } from './pod.js'
import { validateService } from './service.js'

type Validator = (obj: KubeObject, old?: KubeObject) => StatusCause[]

const BY_KIND: Record<string, Validator> = {
  Namespace: validateNamespace,
  Pod: validatePod,
  Service: validateService,
  Endpoints: validateEndpoints,
  Node: validateNode,
  Event: validateEvent,
  Deployment: validateDeployment,
  ReplicaSet: validateReplicaSet,
  DaemonSet: validateDaemonSet,
  EndpointSlice: validateEndpointSlice,
  Lease: validateLease,
}

/**
 * The field problems of obj (an update when old is given), each with upstream's path and wording;
 * empty when valid. Pure: run it after applyDefaults, as upstream validates defaulted objects.
 */
export function validate(resource: Pick<ResourceInfo, 'kind' | 'namespaced'>, obj: KubeObject, old?: KubeObject): StatusCause[] {
  const byKind = BY_KIND[resource.kind]
  if (byKind) return byKind(obj, old)
  // A kind without its own rules still gets upstream's ObjectMeta checks.
  const out = validateObjectMeta(obj.metadata, resource.namespaced, nameFn(isDNS1123Subdomain))
  if (old) out.push(...validateObjectMetaUpdate(obj.metadata, old.metadata))
  return out
}
