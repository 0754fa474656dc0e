// Small object helpers the apiserver and controllers share.
import type { Clock } from '../base/clock.js'
import type { KubeObject } from './meta.js'

/** `namespace/name` for namespaced objects, `name` otherwise (upstream cache.MetaNamespaceKeyFunc). */
export function objectName(obj: Pick<KubeObject, 'metadata'>): string {
  const { namespace, name = '' } = obj.metadata
  return namespace ? `${namespace}/${name}` : name
}

/** RFC 3339 timestamp in seconds, as upstream serialises metav1.Time (`2026-01-01T00:00:00Z`). */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** The creationTimestamp for an object created now by this clock. */
export function creationTimestampFor(clock: Pick<Clock, 'now'>): string {
  return rfc3339(clock.now())
}

/** A deep copy of JSON-shaped data (objects as stored and served). */
export function deepClone<T>(value: T): T {
  return structuredClone(value)
}

/** True when two JSON-shaped values are structurally equal (object key order ignored; undefined fields count as absent). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b)
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]))
  }
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined)
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined)
  return ak.length === bk.length && ak.every((k) => Object.hasOwn(bo, k) && deepEqual(ao[k], bo[k]))
}
