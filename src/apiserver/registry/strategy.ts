// Per-kind rules of the generic REST storage: what a create resets, what an update of the main
// resource or of the status subresource may change, and when `metadata.generation` moves.
// upstream: pkg/registry/<group>/<kind>/strategy.go (PrepareForCreate / PrepareForUpdate)
import type { KubeObject } from '../../api/meta.js'
import type { ResourceInfo } from '../../api/registry.js'
import { groupVersion } from '../../api/registry.js'

/** RFC 3339 at second precision, as Kubernetes writes metav1.Time. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** A deep copy that is safe to modify (stored objects may be frozen or shared). */
export function clone<T>(v: T): T {
  return structuredClone(v)
}

/** Structural equality of JSON values, ignoring key order. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]))
  }
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined)
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined)
  return ak.length === bk.length && ak.every((k) => deepEqual(ao[k], bo[k]))
}

/** Sets apiVersion and kind (stored objects carry them; this makes sure). */
export function withTypeMeta(r: ResourceInfo, obj: KubeObject): KubeObject {
  if (obj.apiVersion === groupVersion(r) && obj.kind === r.kind) return obj
  return { ...obj, apiVersion: groupVersion(r), kind: r.kind }
}

/** True when the kind serves a status subresource, so main-resource writes keep status and vice versa. */
export function hasStatus(r: ResourceInfo): boolean {
  return r.subresources.includes('status')
}

/** The part of an object whose change bumps `metadata.generation` (everything but metadata and status). */
function specPart(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj
  return rest
}

/**
 * Resets what a client may not set on create.
 * upstream: pkg/registry/core/pod/strategy.go (PrepareForCreate: status = {phase: Pending}),
 * pkg/registry/core/namespace/strategy.go (phase Active, finalizer kubernetes),
 * pkg/registry/apps/deployment/strategy.go (status cleared).
 */
export function prepareForCreate(r: ResourceInfo, obj: KubeObject): void {
  const m = obj.metadata
  delete m.resourceVersion
  delete m.deletionTimestamp
  delete m.deletionGracePeriodSeconds
  m.generation = 1
  switch (r.kind) {
    case 'Pod':
      obj.status = { phase: 'Pending' }
      break
    case 'Namespace':
      obj.status = { phase: 'Active' }
      obj.spec = { finalizers: ['kubernetes'], ...((obj.spec as object | undefined) ?? {}) }
      break
    case 'Node':
      // The kubelet registers its node with status (addresses, capacity); keep it.
      break
    default:
      if (hasStatus(r)) delete obj.status
  }
}

/**
 * Merges a main-resource update onto the stored object: identity and system fields come from the old
 * object, status too when the kind has a status subresource; generation moves when the spec changed.
 */
export function prepareForUpdate(r: ResourceInfo, next: KubeObject, old: KubeObject): void {
  const m = next.metadata
  const o = old.metadata
  m.uid = o.uid
  m.creationTimestamp = o.creationTimestamp
  if (o.deletionTimestamp) m.deletionTimestamp = o.deletionTimestamp
  else delete m.deletionTimestamp
  if (o.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds
  else delete m.deletionGracePeriodSeconds
  if (m.namespace === undefined && o.namespace !== undefined) m.namespace = o.namespace
  // upstream nodeStrategy too: the kubelet writes node status through nodes/status.
  if (hasStatus(r)) {
    if (old.status === undefined) delete next.status
    else next.status = clone(old.status)
  }
  if (r.kind === 'Service') dropTypeDependentFields(next, old)
  const gen = o.generation ?? 1
  m.generation = deepEqual(specPart(next), specPart(old)) ? gen : gen + 1
}

const EXTERNAL_TYPES = ['NodePort', 'LoadBalancer']

/**
 * A Service that stops being NodePort/LoadBalancer drops the fields only those types may carry,
 * unless the update set them itself (then validation says what is wrong).
 * upstream: pkg/registry/core/service/strategy.go (dropTypeDependentFields)
 */
function dropTypeDependentFields(next: KubeObject, old: KubeObject): void {
  type Spec = { type?: string; externalTrafficPolicy?: string; healthCheckNodePort?: number; allocateLoadBalancerNodePorts?: boolean; loadBalancerClass?: string }
  const s = (next.spec ?? {}) as Spec
  const o = (old.spec ?? {}) as Spec
  const wasExternal = EXTERNAL_TYPES.includes(o.type ?? 'ClusterIP')
  if (!wasExternal || EXTERNAL_TYPES.includes(s.type ?? 'ClusterIP')) return
  for (const f of ['externalTrafficPolicy', 'healthCheckNodePort', 'allocateLoadBalancerNodePorts', 'loadBalancerClass'] as const) {
    if (s[f] === o[f]) delete s[f]
  }
}

/**
 * Builds the result of a status-subresource update: the stored object with only its status (and,
 * as upstream allows, nothing else) taken from the request.
 * upstream: pkg/registry/apps/deployment/strategy.go (deploymentStatusStrategy.PrepareForUpdate)
 */
export function statusUpdate(next: KubeObject, old: KubeObject): KubeObject {
  const out = clone(old)
  if (next.status === undefined) delete out.status
  else out.status = clone(next.status)
  if (next.metadata?.resourceVersion !== undefined) out.metadata.resourceVersion = next.metadata.resourceVersion
  return out
}

/** True when an update changed nothing a client can see (then upstream skips the write and keeps the resourceVersion). */
export function unchanged(next: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, managedFields: undefined } })
  return deepEqual(strip(next), strip(old))
}
