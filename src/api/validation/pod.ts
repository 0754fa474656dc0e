// Pod and PodSpec validation, including upstream's rule that a pod's spec barely changes after creation.
// upstream: pkg/apis/core/validation/validation.go (ValidatePodSpec, validateTolerations, ValidatePodUpdate)
import type { StatusCause } from '../errors.js'
import { field } from '../errors.js'
import type { KubeObject } from '../meta.js'
import { deepClone, deepEqual } from '../object.js'
import { int32Range, validateContainers } from './container.js'
import { asList, asObj, asStr, invalidEach, nameFn, validateAnnotations, validateLabels, validateObjectMeta, validateObjectMetaUpdate, type Obj } from './meta.js'
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidIP, isValidLabelValue } from './names.js'

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never']
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute']
const NODE_SELECTOR_OPS = ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn']

/** upstream validateTolerations. */
export function validateTolerations(tolerations: unknown, path: string): StatusCause[] {
  const out: StatusCause[] = []
  asList(tolerations).forEach((t, i) => {
    const at = `${path}[${i}]`
    const key = asStr(t.key)
    const op = t.operator ?? 'Equal'
    if (key) out.push(...invalidEach(`${at}.key`, key, isQualifiedName(key)))
    else if (op !== 'Exists') {
      out.push(field.invalid(`${at}.operator`, op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'))
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      out.push(field.invalid(`${at}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"))
    }
    if (op === 'Equal') out.push(...invalidEach(`${at}.value`, asStr(t.value), isValidLabelValue(asStr(t.value))))
    else if (op === 'Exists') {
      if (asStr(t.value)) out.push(field.invalid(`${at}.operator`, t.value, "value must be empty when `operator` is 'Exists'"))
    } else out.push(field.notSupported(`${at}.operator`, op, ['Equal', 'Exists']))
    if (t.effect !== undefined && t.effect !== '' && !TAINT_EFFECTS.includes(t.effect as string)) {
      out.push(field.notSupported(`${at}.effect`, t.effect, TAINT_EFFECTS))
    }
  })
  return out
}

/** upstream ValidateNodeSelectorRequirement. */
export function validateNodeSelectorRequirement(req: Obj, path: string): StatusCause[] {
  const out: StatusCause[] = []
  const values = Array.isArray(req.values) ? req.values : []
  switch (req.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) out.push(field.required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"))
      break
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) out.push(field.forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
      break
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) out.push(field.required(`${path}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"))
      break
    default:
      out.push(field.notSupported(`${path}.operator`, req.operator, NODE_SELECTOR_OPS))
  }
  out.push(...invalidEach(`${path}.key`, asStr(req.key), isQualifiedName(asStr(req.key))))
  return out
}

function validateAffinity(affinity: unknown, path: string): StatusCause[] {
  const na = asObj(asObj(affinity).nodeAffinity)
  const out: StatusCause[] = []
  const required = na.requiredDuringSchedulingIgnoredDuringExecution
  if (required !== undefined && required !== null) {
    const termsPath = `${path}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`
    const terms = asList(asObj(required).nodeSelectorTerms)
    if (terms.length === 0) out.push(field.required(termsPath, 'must have at least one node selector term'))
    terms.forEach((term, i) => {
      asList(term.matchExpressions).forEach((r, j) => out.push(...validateNodeSelectorRequirement(r, `${termsPath}[${i}].matchExpressions[${j}]`)))
    })
  }
  asList(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((p, i) => {
    const at = `${path}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`
    if (!Number.isInteger(p.weight) || (p.weight as number) < 1 || (p.weight as number) > 100) {
      out.push(field.invalid(`${at}.weight`, p.weight, 'must be in the range 1-100'))
    }
    asList(asObj(p.preference).matchExpressions).forEach((r, j) => out.push(...validateNodeSelectorRequirement(r, `${at}.preference.matchExpressions[${j}]`)))
  })
  return out
}

/** upstream ValidatePodSpec; path is `spec` for pods and `spec.template.spec` for workloads. */
export function validatePodSpec(spec: unknown, path: string): StatusCause[] {
  const s = asObj(spec)
  const out: StatusCause[] = []
  const volumes = new Set<string>()
  asList(s.volumes).forEach((v, i) => {
    const name = asStr(v.name)
    if (!name) out.push(field.required(`${path}.volumes[${i}].name`))
    else {
      out.push(...invalidEach(`${path}.volumes[${i}].name`, name, isDNS1123Label(name)))
      if (volumes.has(name)) out.push(field.duplicate(`${path}.volumes[${i}].name`, name))
      volumes.add(name)
    }
  })
  const hostNetwork = s.hostNetwork === true
  const names = new Set<string>()
  if (asList(s.containers).length === 0) out.push(field.required(`${path}.containers`))
  // Init containers first: upstream reports a duplicate on the later (regular) container.
  out.push(...validateContainers(s.initContainers, `${path}.initContainers`, { volumes, names, hostNetwork, init: true }))
  out.push(...validateContainers(s.containers, `${path}.containers`, { volumes, names, hostNetwork, init: false }))
  if (!s.restartPolicy) out.push(field.required(`${path}.restartPolicy`))
  else if (!RESTART_POLICIES.includes(s.restartPolicy as string)) out.push(field.notSupported(`${path}.restartPolicy`, s.restartPolicy, RESTART_POLICIES))
  if (!s.dnsPolicy) out.push(field.required(`${path}.dnsPolicy`))
  else if (!DNS_POLICIES.includes(s.dnsPolicy as string)) out.push(field.notSupported(`${path}.dnsPolicy`, s.dnsPolicy, DNS_POLICIES))
  out.push(...validateLabels(s.nodeSelector, `${path}.nodeSelector`))
  if (asStr(s.nodeName)) out.push(...invalidEach(`${path}.nodeName`, s.nodeName, isDNS1123Subdomain(asStr(s.nodeName))))
  if (asStr(s.schedulerName)) out.push(...invalidEach(`${path}.schedulerName`, s.schedulerName, isDNS1123Subdomain(asStr(s.schedulerName))))
  if (asStr(s.hostname)) out.push(...invalidEach(`${path}.hostname`, s.hostname, isDNS1123Label(asStr(s.hostname))))
  if (asStr(s.subdomain)) out.push(...invalidEach(`${path}.subdomain`, s.subdomain, isDNS1123Label(asStr(s.subdomain))))
  if (s.activeDeadlineSeconds !== undefined) {
    const v = s.activeDeadlineSeconds
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 2147483647) out.push(field.invalid(`${path}.activeDeadlineSeconds`, v, int32Range))
  }
  if (s.terminationGracePeriodSeconds !== undefined && !Number.isInteger(s.terminationGracePeriodSeconds)) {
    out.push(field.invalid(`${path}.terminationGracePeriodSeconds`, s.terminationGracePeriodSeconds, 'must be an integer'))
  }
  out.push(...validateTolerations(s.tolerations, `${path}.tolerations`))
  out.push(...validateAffinity(s.affinity, `${path}.affinity`))
  return out
}

/** upstream ValidatePodTemplateSpec: template labels and annotations plus the pod spec. */
export function validatePodTemplateSpec(template: unknown, path: string): StatusCause[] {
  const t = asObj(template)
  const meta = asObj(t.metadata)
  return [
    ...validateLabels(meta.labels, `${path}.metadata.labels`),
    ...validateAnnotations(meta.annotations, `${path}.metadata.annotations`),
    ...validatePodSpec(t.spec, `${path}.spec`),
  ]
}

function validatePodStatus(status: unknown): StatusCause[] {
  const s = asObj(status)
  const out: StatusCause[] = []
  if (asStr(s.podIP)) out.push(...invalidEach('status.podIP', s.podIP, isValidIP(asStr(s.podIP))))
  if (asStr(s.hostIP)) out.push(...invalidEach('status.hostIP', s.hostIP, isValidIP(asStr(s.hostIP))))
  asList(s.podIPs).forEach((p, i) => out.push(...invalidEach(`status.podIPs[${i}].ip`, p.ip, isValidIP(asStr(p.ip)))))
  const phases = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']
  if (s.phase !== undefined && !phases.includes(s.phase as string)) out.push(field.notSupported('status.phase', s.phase, phases))
  return out
}

/** upstream's list of what a pod update may change. */
export const POD_UPDATE_MESSAGE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)'

/**
 * upstream ValidatePodUpdate: only images, activeDeadlineSeconds, added tolerations and
 * terminationGracePeriodSeconds may change. kplab also lets nodeName go from unset to set, so a
 * binding written as an update is not refused (upstream routes it through pods/binding).
 */
export function validatePodSpecUpdate(spec: unknown, oldSpec: unknown): StatusCause[] {
  const masked = deepClone(asObj(spec))
  const old = asObj(oldSpec)
  for (const key of ['containers', 'initContainers']) {
    const oldList = asList(old[key])
    const newList = masked[key]
    if (Array.isArray(newList) && newList.length === oldList.length) {
      newList.forEach((c, i) => {
        if (c && typeof c === 'object') (c as Obj).image = oldList[i]!.image
      })
    }
  }
  masked.activeDeadlineSeconds = old.activeDeadlineSeconds
  masked.terminationGracePeriodSeconds = old.terminationGracePeriodSeconds
  if (!asStr(old.nodeName)) masked.nodeName = old.nodeName
  const oldTol = asList(old.tolerations)
  const newTol = asList(masked.tolerations)
  if (oldTol.every((t) => newTol.some((n) => deepEqual(n, t)))) masked.tolerations = old.tolerations
  return deepEqual(masked, old) ? [] : [field.forbidden('spec', POD_UPDATE_MESSAGE)]
}

/** Validates a Pod on create, or on update when old is given. */
export function validatePod(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj.metadata, true, nameFn(isDNS1123Subdomain))
  out.push(...validatePodSpec(obj.spec, 'spec'))
  out.push(...validatePodStatus(obj.status))
  if (old) {
    out.push(...validateObjectMetaUpdate(obj.metadata, old.metadata))
    out.push(...validatePodSpecUpdate(obj.spec, old.spec))
  }
  return out
}
