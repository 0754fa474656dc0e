// Controller references: who owns an object, and how a controller marks what it creates.
// upstream: staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/controller_ref.go
import type { KubeObject, OwnerReference } from '../api/meta.js'

/** The ownerReference with controller: true, if any. */
export function controllerRef(obj: Pick<KubeObject, 'metadata'>): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((o) => o.controller === true)
}

/** The ownerReference a controller puts on what it creates (upstream NewControllerRef). */
export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true }
}

/** `namespace/name` of an object. */
export function keyOf(obj: Pick<KubeObject, 'metadata'>): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name!
}

/** Splits a `namespace/name` key. */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/')
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) }
}
