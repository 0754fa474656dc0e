// Deployment, ReplicaSet and DaemonSet validation: replicas, selector vs template, strategies, immutable selector.
// upstream: pkg/apis/apps/validation/validation.go and staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation (ValidateLabelSelector)
import type { StatusCause } from '../errors.js'
import { StatusError, field } from '../errors.js'
import type { KubeObject } from '../meta.js'
import { labelSelectorFromObject, matchesLabels, type LabelSelectorInput } from '../selectors.js'
import { asList, asObj, asStr, invalidEach, nameFn, validateImmutable, validateLabels, validateObjectMeta, validateObjectMetaUpdate, type Obj } from './meta.js'
import { isDNS1123Subdomain, isQualifiedName, isValidPercent } from './names.js'
import { validatePodTemplateSpec } from './pod.js'

/** upstream ValidateNonnegativeField. */
export function validateNonNegative(v: unknown, path: string): StatusCause[] {
  if (v === undefined) return []
  return Number.isInteger(v) && (v as number) >= 0 ? [] : [field.invalid(path, v, 'must be greater than or equal to 0')]
}

/** upstream metav1validation.ValidateLabelSelector. */
export function validateLabelSelector(sel: unknown, path: string): StatusCause[] {
  const s = asObj(sel)
  const out = validateLabels(s.matchLabels, `${path}.matchLabels`)
  asList(s.matchExpressions).forEach((e, i) => {
    const at = `${path}.matchExpressions[${i}]`
    const values = Array.isArray(e.values) ? e.values : []
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) out.push(field.required(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"))
        break
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) out.push(field.forbidden(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
        break
      default:
        out.push(field.invalid(`${at}.operator`, e.operator, 'not a valid selector operator'))
    }
    out.push(...invalidEach(`${at}.key`, asStr(e.key), isQualifiedName(asStr(e.key))))
  })
  return out
}

/** Selector required and non-empty; the template's labels must match it (upstream ValidateDeploymentSpec and friends). */
function validateSelectorAndTemplate(spec: Obj, kind: string): StatusCause[] {
  const out: StatusCause[] = []
  const sel = spec.selector
  if (sel === undefined || sel === null) {
    out.push(field.required('spec.selector'))
  } else {
    out.push(...validateLabelSelector(sel, 'spec.selector'))
    const s = asObj(sel)
    if (Object.keys(asObj(s.matchLabels)).length === 0 && asList(s.matchExpressions).length === 0) {
      out.push(field.invalid('spec.selector', sel, `empty selector is invalid for ${kind}`))
    }
  }
  const template = spec.template
  if (template === undefined || template === null) {
    out.push(field.required('spec.template'))
    return out
  }
  const labels = asObj(asObj(asObj(template).metadata).labels) as Record<string, string>
  if (out.length === 0) {
    try {
      const selector = labelSelectorFromObject(sel as LabelSelectorInput)
      if (!matchesLabels(selector, labels)) {
        out.push(field.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'))
      }
    } catch (err) {
      // A selector validateLabelSelector let through but the parser refuses: report it on the selector.
      if (!(err instanceof StatusError)) throw err
      out.push(field.invalid('spec.selector', sel, err.message))
    }
  }
  out.push(...validatePodTemplateSpec(template, 'spec.template'))
  // upstream: workload pods restart forever; anything else would fight the controller
  const restart = asObj(asObj(template).spec).restartPolicy
  if (restart !== undefined && restart !== 'Always') out.push(field.notSupported('spec.template.spec.restartPolicy', restart, ['Always']))
  return out
}

function intOrPercent(v: unknown, path: string): StatusCause[] {
  if (typeof v === 'number') return validateNonNegative(v, path)
  if (typeof v === 'string') {
    const errs = isValidPercent(v)
    if (errs.length) return invalidEach(path, v, errs)
    return []
  }
  return [field.invalid(path, v, 'must be an integer or percentage (e.g. 5 or 25%)')]
}

function isZero(v: unknown): boolean {
  return v === 0 || v === '0%' || v === undefined
}

function validateRollingUpdate(ru: unknown, path: string, allowZeroBoth: boolean): StatusCause[] {
  const r = asObj(ru)
  const out: StatusCause[] = []
  if (r.maxUnavailable !== undefined) out.push(...intOrPercent(r.maxUnavailable, `${path}.maxUnavailable`))
  if (r.maxSurge !== undefined) out.push(...intOrPercent(r.maxSurge, `${path}.maxSurge`))
  if (typeof r.maxUnavailable === 'string' && parseInt(r.maxUnavailable, 10) > 100) {
    out.push(field.invalid(`${path}.maxUnavailable`, r.maxUnavailable, 'must not be greater than 100%'))
  }
  if (!allowZeroBoth && isZero(r.maxUnavailable) && isZero(r.maxSurge)) {
    // upstream: both zero means no progress is ever possible
    out.push(field.invalid(`${path}.maxUnavailable`, r.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'))
  }
  return out
}

function validateReplicas(spec: Obj): StatusCause[] {
  return validateNonNegative(spec.replicas, 'spec.replicas')
}

/** Validates a Deployment on create, or on update when old is given (selector immutable). */
export function validateDeployment(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const spec = asObj(obj.spec)
  const out = validateObjectMeta(obj.metadata, true, nameFn(isDNS1123Subdomain))
  out.push(...validateReplicas(spec))
  out.push(...validateSelectorAndTemplate(spec, 'deployment'))
  const strategy = asObj(spec.strategy)
  const types = ['Recreate', 'RollingUpdate']
  if (strategy.type === undefined) out.push(field.required('spec.strategy.type'))
  else if (!types.includes(strategy.type as string)) out.push(field.notSupported('spec.strategy.type', strategy.type, types))
  if (strategy.type === 'Recreate' && strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null) {
    out.push(field.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"))
  }
  if (strategy.type === 'RollingUpdate') out.push(...validateRollingUpdate(strategy.rollingUpdate, 'spec.strategy.rollingUpdate', false))
  out.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'))
  out.push(...validateNonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'))
  if (spec.progressDeadlineSeconds !== undefined) {
    out.push(...validateNonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'))
    if ((spec.progressDeadlineSeconds as number) <= ((spec.minReadySeconds as number | undefined) ?? 0)) {
      out.push(field.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'))
    }
  }
  out.push(...validateWorkloadStatus(obj.status))
  if (old) out.push(...validateWorkloadUpdate(obj, old))
  return out
}

/** Validates a ReplicaSet on create, or on update when old is given (selector immutable). */
export function validateReplicaSet(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const spec = asObj(obj.spec)
  const out = validateObjectMeta(obj.metadata, true, nameFn(isDNS1123Subdomain))
  out.push(...validateReplicas(spec))
  out.push(...validateSelectorAndTemplate(spec, 'replicaset'))
  out.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'))
  out.push(...validateWorkloadStatus(obj.status))
  if (old) out.push(...validateWorkloadUpdate(obj, old))
  return out
}

/** Validates a DaemonSet on create, or on update when old is given (selector immutable). */
export function validateDaemonSet(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const spec = asObj(obj.spec)
  const out = validateObjectMeta(obj.metadata, true, nameFn(isDNS1123Subdomain))
  out.push(...validateSelectorAndTemplate(spec, 'daemonset'))
  const strategy = asObj(spec.updateStrategy)
  const types = ['OnDelete', 'RollingUpdate']
  if (strategy.type === undefined) out.push(field.required('spec.updateStrategy.type'))
  else if (!types.includes(strategy.type as string)) out.push(field.notSupported('spec.updateStrategy.type', strategy.type, types))
  if (strategy.type === 'RollingUpdate') out.push(...validateRollingUpdate(strategy.rollingUpdate, 'spec.updateStrategy.rollingUpdate', false))
  out.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'))
  out.push(...validateNonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'))
  if (old) out.push(...validateWorkloadUpdate(obj, old))
  return out
}

function validateWorkloadStatus(status: unknown): StatusCause[] {
  const s = asObj(status)
  const out: StatusCause[] = []
  for (const k of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'fullyLabeledReplicas', 'observedGeneration']) {
    out.push(...validateNonNegative(s[k], `status.${k}`))
  }
  return out
}

function validateWorkloadUpdate(obj: KubeObject, old: KubeObject): StatusCause[] {
  return [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    // upstream: apps/v1 selectors are immutable (changing one would orphan the existing pods)
    ...validateImmutable(asObj(obj.spec).selector, asObj(old.spec).selector, 'spec.selector'),
  ]
}
