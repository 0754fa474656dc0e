// `-o yaml|json|name` output, shaped as kubectl prints it.
import { stringify as toYaml } from 'yaml'
import type { KubeObject } from '../../api/meta.js'
import type { ResourceInfo } from '../../api/registry.js'

/** `deployment.apps/web`, `pod/client`: kubectl's `-o name` and the subject of apply/delete messages. */
export function resourceName(r: ResourceInfo, name: string): string {
  return `${kindName(r)}/${name}`
}

/** `deployment.apps`, `pod`: the lowercase kind with its group. */
export function kindName(r: ResourceInfo): string {
  const k = r.kind.toLowerCase()
  return r.group ? `${k}.${r.group}` : k
}

/** Sorts object keys recursively, as Go's encoding of unstructured objects does. */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]))
  }
  return v
}

/** Several objects as kubectl prints them: a `kind: List` with items. */
export function asList(items: KubeObject[]): Record<string, unknown> {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }
}

/** `-o json`: 4-space indent, sorted keys. */
export function printJson(v: unknown): string {
  return `${JSON.stringify(sortKeys(v), null, 4)}\n`
}

/** `-o yaml`: sorted keys, lists not indented under their key (as kubectl's yaml). */
export function printYaml(v: unknown): string {
  return toYaml(sortKeys(v), { indentSeq: false, lineWidth: 0 })
}
