// The merge behind client-side `apply`: the manifest wins over the live object, fields dropped
// from the manifest since the last apply are removed, everything else on the live object (status,
// server defaults, other writers' fields) stays. Lists of objects merge by their merge key.
import type { KubeObject } from '../api/meta.js'

/** The annotation kubectl keeps the last applied manifest in. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * The merge key of a list field, or undefined for lists replaced whole (primitives, tolerations…).
 * upstream: the patchMergeKey tags of k8s.io/api/core/v1/types.go (containers/env/volumes by name,
 * container ports by containerPort, ServiceSpec.ports by port, volumeMounts by mountPath, …)
 */
export function mergeKeyFor(fieldName: string, items: unknown[]): string | undefined {
  if (!items.every(isObj)) return undefined
  switch (fieldName) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return 'name'
    case 'ports':
      return items.some((i) => 'containerPort' in i) ? 'containerPort' : 'port'
    case 'volumeMounts':
      return 'mountPath'
    case 'addresses':
    case 'conditions':
      return 'type'
    case 'ownerReferences':
      return 'uid'
    default:
      return undefined
  }
}

/**
 * Three-way merge of the manifest (`want`) over the `live` object, using `last` (the previous
 * manifest) to know which fields the user removed.
 * upstream: apimachinery/pkg/util/strategicpatch (CreateThreeWayMergePatch), applied to live at once
 */
export function threeWayMerge(live: unknown, last: unknown, want: unknown, fieldName = ''): unknown {
  if (isObj(want) && isObj(live)) {
    const out: Obj = { ...live }
    for (const [k, v] of Object.entries(want)) {
      out[k] = v === null ? undefined : threeWayMerge(live[k], isObj(last) ? last[k] : undefined, v, k)
      if (out[k] === undefined) delete out[k]
    }
    if (isObj(last)) for (const k of Object.keys(last)) if (!(k in want)) delete out[k]
    return out
  }
  if (Array.isArray(want) && Array.isArray(live)) {
    const key = mergeKeyFor(fieldName, want)
    if (key && live.every(isObj)) {
      const lastItems = Array.isArray(last) ? (last as unknown[]).filter(isObj) : []
      const find = (list: Obj[], item: Obj): Obj | undefined => list.find((x) => x[key] === item[key])
      const merged = (want as Obj[]).map((w) => {
        const l = find(live as Obj[], w)
        return l ? threeWayMerge(l, find(lastItems, w), w, '') : w
      })
      // Items someone else added (not in the manifest now or before) stay, as with SMP.
      const others = (live as Obj[]).filter((l) => !find(want as Obj[], l) && !find(lastItems, l))
      return [...merged, ...others]
    }
  }
  return structuredClone(want)
}

/** The object apply would PUT: the merge, with the new last-applied annotation. */
export function applyMerge(live: KubeObject, manifest: KubeObject): KubeObject {
  const annotation = live.metadata.annotations?.[LAST_APPLIED]
  let last: unknown
  try {
    last = annotation ? JSON.parse(annotation) : undefined
  } catch {
    last = undefined
  }
  const merged = threeWayMerge(live, last, withLastApplied(manifest)) as KubeObject
  merged.metadata.resourceVersion = live.metadata.resourceVersion
  return merged
}

/** The manifest with the last-applied annotation set to its own compact JSON, as kubectl writes it. */
export function withLastApplied(manifest: KubeObject): KubeObject {
  const clean = structuredClone(manifest)
  const annotations = { ...(clean.metadata.annotations ?? {}) }
  delete annotations[LAST_APPLIED]
  clean.metadata.annotations = annotations
  const copy = structuredClone(clean)
  copy.metadata.annotations = { ...annotations, [LAST_APPLIED]: `${JSON.stringify(clean)}\n` }
  return copy
}

/** Deep equality of JSON values, for "unchanged". */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]))
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined)
    const kb = Object.keys(b).filter((k) => b[k] !== undefined)
    return ka.length === kb.length && ka.every((k) => jsonEqual(a[k], b[k]))
  }
  return false
}
