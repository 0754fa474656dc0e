// The ObjectMeta schema and the top-level envelope every kind shares.
// upstream: staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go (ObjectMeta, OwnerReference, LabelSelector)
import type { Schema } from '../schema.js'
import { any, atomic, bool, int, map, mapList, obj, set, str } from './builders.js'

/** upstream OwnerReference. */
export const ownerReference: Schema = obj({
  apiVersion: str,
  kind: str,
  name: str,
  uid: str,
  controller: bool,
  blockOwnerDeletion: bool,
})

/** upstream ObjectMeta; managedFields stay free-form (server-side apply bookkeeping). */
export const objectMeta: Schema = obj({
  name: str,
  generateName: str,
  namespace: str,
  selfLink: str,
  uid: str,
  resourceVersion: str,
  generation: int,
  creationTimestamp: str,
  deletionTimestamp: str,
  deletionGracePeriodSeconds: int,
  labels: map(),
  annotations: map(),
  // upstream: patchStrategy:"merge" patchMergeKey:"uid", +listType=map
  ownerReferences: mapList('uid', ownerReference),
  // upstream: patchStrategy:"merge", +listType=set
  finalizers: set(),
  managedFields: any,
})

/** upstream metav1.LabelSelector. */
export const labelSelector: Schema = obj({
  matchLabels: map(),
  matchExpressions: atomic(obj({ key: str, operator: str, values: atomic(str) })),
})

/** A kind's schema: apiVersion, kind and metadata plus its own top-level fields. */
export function kindSchema(fields: Record<string, Schema>): Schema {
  return obj({ apiVersion: str, kind: str, metadata: objectMeta, ...fields })
}
