// ObjectMeta validation shared by every kind, plus the small helpers the per-kind files use.
// upstream: staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go
import type { StatusCause } from '../errors.js'
import { field } from '../errors.js'
import type { ObjectMeta } from '../meta.js'
import { deepEqual } from '../object.js'
import { isQualifiedName, isValidLabelValue, isDNS1123Label } from './names.js'

/** A name check: upstream's ValidateNameFunc (prefix=true for generateName). */
export type NameFn = (name: string, prefix: boolean) => string[]

/** A JSON object as seen by validation (fields may be missing or of the wrong type). */
export type Obj = Record<string, unknown>

/** The value as an object, or an empty one when absent or not an object. */
export function asObj(v: unknown): Obj {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {}
}

/** The value as an array of objects, or empty. */
export function asList(v: unknown): Obj[] {
  return Array.isArray(v) ? v.map(asObj) : []
}

/** The value as a string, or '' (upstream's zero value). */
export function asStr(v: unknown): string {
  return typeof v === 'string' ? v : ''
}

/** upstream field.TooMany. */
export function tooMany(path: string, actual: number, max: number): StatusCause {
  return { reason: 'FieldValueTooMany', message: `Too many: ${actual}: must have at most ${max} items`, field: path }
}

/** One Invalid cause per message, as upstream appends them. */
export function invalidEach(path: string, value: unknown, msgs: string[]): StatusCause[] {
  return msgs.map((m) => field.invalid(path, value, m))
}

/** upstream ValidateImmutableField. */
export function validateImmutable(value: unknown, old: unknown, path: string): StatusCause[] {
  return deepEqual(value, old) ? [] : [field.invalid(path, value, 'field is immutable')]
}

// upstream maskTrailingDash: a generateName prefix may end in '-' since a suffix follows
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name
}

/** Wraps a plain name check into a NameFn that tolerates generateName prefixes. */
export function nameFn(check: (name: string) => string[]): NameFn {
  return (name, prefix) => check(prefix ? maskTrailingDash(name) : name)
}

/** upstream ValidateLabels: keys are qualified names, values label values. */
export function validateLabels(labels: unknown, path: string): StatusCause[] {
  const out: StatusCause[] = []
  for (const [k, v] of Object.entries(asObj(labels))) {
    out.push(...invalidEach(path, k, isQualifiedName(k)))
    if (typeof v !== 'string') out.push(field.invalid(`${path}[${k}]`, v, 'must be a string'))
    else out.push(...invalidEach(`${path}[${k}]`, v, isValidLabelValue(v)))
  }
  return out
}

/** upstream TotalAnnotationSizeLimitB. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024

/** upstream ValidateAnnotations: keys are (lower-cased) qualified names; keys and values at most 256 KiB together. */
export function validateAnnotations(annotations: unknown, path: string): StatusCause[] {
  const out: StatusCause[] = []
  let total = 0
  for (const [k, v] of Object.entries(asObj(annotations))) {
    out.push(...invalidEach(path, k, isQualifiedName(k.toLowerCase())))
    total += Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : String(v))
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) out.push(field.tooLong(path, '', TOTAL_ANNOTATION_SIZE_LIMIT))
  return out
}

/** upstream ValidateObjectMeta: name or generateName, namespace by scope, labels, annotations, owners, finalizers. */
export function validateObjectMeta(meta: ObjectMeta | undefined, namespaced: boolean, check: NameFn, path = 'metadata'): StatusCause[] {
  const m = asObj(meta) as ObjectMeta
  const out: StatusCause[] = []
  const name = asStr(m.name)
  const generateName = asStr(m.generateName)
  if (generateName) out.push(...invalidEach(`${path}.generateName`, generateName, check(generateName, true)))
  if (!name) {
    if (!generateName) out.push(field.required(`${path}.name`, 'name or generateName is required'))
  } else out.push(...invalidEach(`${path}.name`, name, check(name, false)))
  const ns = asStr(m.namespace)
  if (namespaced) {
    if (!ns) out.push(field.required(`${path}.namespace`))
    else out.push(...invalidEach(`${path}.namespace`, ns, isDNS1123Label(ns)))
  } else if (ns) out.push(field.forbidden(`${path}.namespace`, 'not allowed on this type'))
  if (m.generation !== undefined && (!Number.isInteger(m.generation) || m.generation < 0)) {
    out.push(field.invalid(`${path}.generation`, m.generation, 'must be greater than or equal to 0'))
  }
  out.push(...validateLabels(m.labels, `${path}.labels`))
  out.push(...validateAnnotations(m.annotations, `${path}.annotations`))
  asList(m.ownerReferences).forEach((ref, i) => {
    for (const f of ['apiVersion', 'kind', 'name', 'uid']) {
      if (!asStr(ref[f])) out.push(field.required(`${path}.ownerReferences[${i}].${f}`))
    }
  })
  if (asList(m.ownerReferences).filter((r) => r.controller === true).length > 1) {
    out.push(field.invalid(`${path}.ownerReferences`, m.ownerReferences, 'Only one reference can have Controller set to true'))
  }
  ;(Array.isArray(m.finalizers) ? m.finalizers : []).forEach((f, i) => {
    out.push(...invalidEach(`${path}.finalizers[${i}]`, f, isQualifiedName(asStr(f))))
  })
  return out
}

/** upstream ValidateObjectMetaUpdate: name, namespace, uid and creationTimestamp never change. */
export function validateObjectMetaUpdate(meta: ObjectMeta | undefined, old: ObjectMeta | undefined, path = 'metadata'): StatusCause[] {
  const m = asObj(meta)
  const o = asObj(old)
  const out: StatusCause[] = []
  for (const f of ['name', 'namespace']) out.push(...validateImmutable(m[f], o[f], `${path}.${f}`))
  // Fields the server owns: only compare when the client sent them, the server refills them.
  for (const f of ['uid', 'creationTimestamp']) {
    if (m[f] !== undefined && o[f] !== undefined) out.push(...validateImmutable(m[f], o[f], `${path}.${f}`))
  }
  return out
}
