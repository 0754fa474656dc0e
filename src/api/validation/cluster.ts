// Namespace, Node, Event and Lease validation.
// upstream: pkg/apis/core/validation/validation.go (ValidateNamespace, ValidateNode, ValidateEvent)
// and pkg/apis/coordination/validation/validation.go (ValidateLease)
import type { StatusCause } from '../errors.js'
import { field } from '../errors.js'
import type { KubeObject } from '../meta.js'
import { asList, asObj, asStr, invalidEach, nameFn, validateObjectMeta, validateObjectMetaUpdate } from './meta.js'
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidCIDR, isValidLabelValue } from './names.js'

const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule']
const ADDRESS_TYPES = ['ExternalDNS', 'ExternalIP', 'Hostname', 'InternalDNS', 'InternalIP']

/** Validates a Namespace (name is a DNS-1123 label; phase Active or Terminating). */
export function validateNamespace(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj.metadata, false, nameFn(isDNS1123Label))
  const phase = asObj(obj.status).phase
  if (phase !== undefined && phase !== 'Active' && phase !== 'Terminating') out.push(field.notSupported('status.phase', phase, ['Active', 'Terminating']))
  ;(Array.isArray(asObj(obj.spec).finalizers) ? (asObj(obj.spec).finalizers as unknown[]) : []).forEach((f, i) => {
    out.push(...invalidEach(`spec.finalizers[${i}]`, f, isQualifiedName(asStr(f))))
  })
  if (old) out.push(...validateObjectMetaUpdate(obj.metadata, old.metadata))
  return out
}

/** Validates a Node: pod CIDRs, taints, addresses; podCIDR may be set once but not changed. */
export function validateNode(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj.metadata, false, nameFn(isDNS1123Subdomain))
  const spec = asObj(obj.spec)
  if (asStr(spec.podCIDR)) out.push(...invalidEach('spec.podCIDR', spec.podCIDR, isValidCIDR(asStr(spec.podCIDR))))
  const cidrs = Array.isArray(spec.podCIDRs) ? spec.podCIDRs : []
  cidrs.forEach((c, i) => out.push(...invalidEach(`spec.podCIDRs[${i}]`, c, isValidCIDR(asStr(c)))))
  if (cidrs.length > 0 && asStr(spec.podCIDR) && cidrs[0] !== spec.podCIDR) {
    out.push(field.invalid('spec.podCIDRs', cidrs, 'first value must match `podCIDR`'))
  }
  const seen = new Set<string>()
  asList(spec.taints).forEach((t, i) => {
    const at = `spec.taints[${i}]`
    out.push(...invalidEach(`${at}.key`, asStr(t.key), isQualifiedName(asStr(t.key))))
    if (asStr(t.value)) out.push(...invalidEach(`${at}.value`, t.value, isValidLabelValue(asStr(t.value))))
    if (!asStr(t.effect)) out.push(field.required(`${at}.effect`))
    else if (!TAINT_EFFECTS.includes(asStr(t.effect))) out.push(field.notSupported(`${at}.effect`, t.effect, TAINT_EFFECTS))
    const key = `${asStr(t.key)}:${asStr(t.effect)}`
    if (seen.has(key)) out.push(field.duplicate(at, { key: t.key, effect: t.effect }))
    seen.add(key)
  })
  asList(asObj(obj.status).addresses).forEach((a, i) => {
    if (!ADDRESS_TYPES.includes(asStr(a.type))) out.push(field.notSupported(`status.addresses[${i}].type`, a.type ?? '', ADDRESS_TYPES))
    if (!asStr(a.address)) out.push(field.required(`status.addresses[${i}].address`))
  })
  if (old) {
    out.push(...validateObjectMetaUpdate(obj.metadata, old.metadata))
    const oldCIDR = asStr(asObj(old.spec).podCIDR)
    // upstream: podCIDR is assigned once by the node IPAM and then fixed
    if (oldCIDR && asStr(spec.podCIDR) !== oldCIDR) out.push(field.forbidden('spec.podCIDR', 'node updates may not change podCIDR except from "" to valid'))
  }
  return out
}

/** Validates a core/v1 Event: involvedObject's namespace must match the event's (or be empty for cluster objects). */
export function validateEvent(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj.metadata, true, nameFn(isDNS1123Subdomain))
  const involved = obj.involvedObject
  if (involved === undefined || involved === null) out.push(field.required('involvedObject'))
  const ns = asStr(asObj(involved).namespace)
  if (ns && ns !== asStr(obj.metadata?.namespace)) out.push(field.invalid('involvedObject.namespace', ns, 'does not match event.namespace'))
  const type = obj.type
  if (type !== undefined && type !== '' && type !== 'Normal' && type !== 'Warning') out.push(field.notSupported('type', type, ['Normal', 'Warning']))
  if (asStr(obj.reason).length > 128) out.push(field.tooLong('reason', obj.reason, 128))
  if (obj.count !== undefined && (!Number.isInteger(obj.count) || (obj.count as number) < 0)) {
    out.push(field.invalid('count', obj.count, 'must be greater than or equal to 0'))
  }
  if (old) out.push(...validateObjectMetaUpdate(obj.metadata, old.metadata))
  return out
}

/** Validates a Lease: positive duration, non-negative transitions. */
export function validateLease(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj.metadata, true, nameFn(isDNS1123Subdomain))
  const spec = asObj(obj.spec)
  if (spec.leaseDurationSeconds !== undefined && (!Number.isInteger(spec.leaseDurationSeconds) || (spec.leaseDurationSeconds as number) <= 0)) {
    out.push(field.invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'))
  }
  if (spec.leaseTransitions !== undefined && (!Number.isInteger(spec.leaseTransitions) || (spec.leaseTransitions as number) < 0)) {
    out.push(field.invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'))
  }
  if (old) out.push(...validateObjectMetaUpdate(obj.metadata, old.metadata))
  return out
}
