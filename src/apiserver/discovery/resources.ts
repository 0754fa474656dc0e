import { RESOURCES, groupVersion, type ResourceInfo } from '../../api/registry.js'

/** A group/version/kind triple as discovery writes it (group '' for core). */
export interface GroupVersionKind {
  group: string
  version: string
  kind: string
}

/** One subresource as discovery describes it. */
export interface SubresourceInfo {
  /** `status`, `scale`, `binding`, `log`. */
  name: string
  responseKind: GroupVersionKind
  verbs: string[]
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']

/**
 * The verbs a resource serves, as upstream's storage implements them (namespaces have no
 * deletecollection, every other kplab kind has the full set).
 * upstream: pkg/registry/core/namespace/storage/storage.go (no DeleteCollection)
 */
export function verbsFor(r: ResourceInfo): string[] {
  return r.kind === 'Namespace' ? ALL_VERBS.filter((v) => v !== 'deletecollection') : [...ALL_VERBS]
}

/** The kind a resource's own endpoints return. */
export function responseKindOf(r: ResourceInfo): GroupVersionKind {
  return { group: r.group, version: r.version, kind: r.kind }
}

/**
 * The subresources of a resource with their response kinds and verbs: scale answers an
 * autoscaling/v1 Scale, binding only accepts create (a core/v1 Binding), log only get.
 */
export function subresourcesOf(r: ResourceInfo): SubresourceInfo[] {
  return r.subresources.map((name) => {
    switch (name) {
      case 'scale':
        return { name, responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] }
      case 'binding':
        return { name, responseKind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] }
      case 'log':
        return { name, responseKind: responseKindOf(r), verbs: ['get'] }
      default:
        return { name, responseKind: responseKindOf(r), verbs: ['get', 'patch', 'update'] }
    }
  })
}

/** The group-versions served, each with its resources, core first, in registry order. */
export function servedGroupVersions(): { group: string; version: string; groupVersion: string; resources: ResourceInfo[] }[] {
  const out = new Map<string, { group: string; version: string; groupVersion: string; resources: ResourceInfo[] }>()
  for (const r of RESOURCES) {
    const gv = groupVersion(r)
    let entry = out.get(gv)
    if (!entry) out.set(gv, (entry = { group: r.group, version: r.version, groupVersion: gv, resources: [] }))
    entry.resources.push(r)
  }
  return [...out.values()]
}
