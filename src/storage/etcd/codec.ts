import type { IKeyValue } from 'etcd3'
import type { KubeObject } from '../../api/meta.js'
import { deepFreeze, withRevision } from '../objects.js'

/**
 * The stored form of an object: JSON without `metadata.resourceVersion`, which etcd's mod_revision
 * supplies on the way out.
 * upstream: staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go (versioner.PrepareObjectForStorage)
 */
export function encodeValue(obj: KubeObject): Buffer {
  const { resourceVersion: _drop, ...metadata } = obj.metadata ?? {}
  return Buffer.from(JSON.stringify({ ...obj, metadata }), 'utf8')
}

/** The object in a key-value, stamped with its mod_revision (or rev when given) and frozen. */
export function decodeKv(kv: IKeyValue, rev?: number): KubeObject {
  const obj = JSON.parse(kv.value.toString('utf8')) as KubeObject
  obj.metadata = { ...obj.metadata, resourceVersion: String(rev ?? Number(kv.mod_revision)) }
  return deepFreeze(obj)
}

/** The same object at another revision (a deletion reports the deletion revision). */
export function restamp(obj: KubeObject, rev: number): KubeObject {
  return withRevision(obj, rev)
}

/**
 * The end of the key range holding every key that starts with prefix: prefix with its last byte
 * incremented (bytes 0xff are dropped first).
 * upstream: etcd client/v3/op.go (GetPrefixRangeEnd)
 */
export function prefixRangeEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix, 'utf8')
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]! += 1
      return end.subarray(0, i + 1)
    }
  }
  // All 0xff: no upper bound, which etcd spells as "\0".
  return Buffer.from([0])
}
