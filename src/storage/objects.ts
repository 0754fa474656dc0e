import type { KubeObject } from '../api/meta.js'
import { ConflictError } from './errors.js'
import type { Preconditions } from './store.js'

/**
 * Freezes an object and everything it holds, so one stored copy can be handed to every reader and
 * watcher; callers must clone before modifying (the apiserver does).
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    // Indexed and keyed loops: Object.values would allocate an array per object on every write.
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) deepFreeze(value[i])
    else for (const k in value) deepFreeze((value as Record<string, unknown>)[k])
  }
  return value
}

/** Serialises obj with `metadata.resourceVersion` set to rev, without touching the caller's object. */
export function encodeWithRevision(obj: KubeObject, rev: number): string {
  // A shallow copy of the two levels we change; JSON.stringify does the deep copy.
  return JSON.stringify({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(rev) } })
}

// The serialised form of stored objects, so responses and watch events reuse the bytes the log
// write produced instead of serialising the same frozen object again.
const encoded = new WeakMap<object, string>()

/** Parses a stored object and freezes it (the stored form is immutable); remembers json as its encoding. */
export function decodeFrozen(json: string): KubeObject {
  const obj = deepFreeze(JSON.parse(json) as KubeObject)
  encoded.set(obj, json)
  return obj
}

/**
 * `JSON.stringify(obj)`, without serialising again when obj is a stored object decodeFrozen made
 * (immutable, so its remembered encoding stays exact).
 */
export function jsonOf(obj: object): string {
  return encoded.get(obj) ?? JSON.stringify(obj)
}

/** The store revision an object carries in `metadata.resourceVersion` (0 when absent). */
export function revisionOf(obj: KubeObject): number {
  const rv = obj.metadata?.resourceVersion
  return rv ? Number(rv) : 0
}

/** A stored object re-stamped with another revision (deletions report the deletion revision). */
export function withRevision(obj: KubeObject, rev: number): KubeObject {
  return deepFreeze({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(rev) } })
}

/**
 * Throws ConflictError when a precondition does not hold for the current object.
 * upstream: staging/src/k8s.io/apiserver/pkg/storage/interfaces.go (Preconditions.Check)
 */
export function checkPreconditions(key: string, current: KubeObject, pre: Preconditions | undefined): void {
  if (!pre) return
  if (pre.uid !== undefined && current.metadata.uid !== pre.uid) {
    throw new ConflictError(key, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid ?? ''}`)
  }
  if (pre.resourceVersion !== undefined && revisionOf(current) !== pre.resourceVersion) {
    throw new ConflictError(
      key,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ''}`,
    )
  }
}

/**
 * True when writing next over current would change nothing but the resourceVersion; such updates are
 * skipped and return the current object, as upstream's GuaranteedUpdate does (byte comparison, so
 * a different field order counts as a change there too).
 * upstream: staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go (GuaranteedUpdate, bytes.Equal)
 */
export function isNoopUpdate(current: KubeObject, next: KubeObject): boolean {
  const rev = revisionOf(current)
  return encodeWithRevision(current, rev) === encodeWithRevision(next, rev)
}
