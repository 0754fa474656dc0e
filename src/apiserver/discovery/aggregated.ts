import { responseKindOf, servedGroupVersions, subresourcesOf, verbsFor, type GroupVersionKind } from './resources.js'

/** The Content-Type kubectl requires on aggregated discovery (plain application/json is read as legacy). */
export const AGGREGATED_DISCOVERY_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'

/** One resource in aggregated discovery (apidiscovery.k8s.io/v2 APIResourceDiscovery). */
export interface APIResourceDiscovery {
  resource: string
  responseKind: GroupVersionKind
  scope: 'Namespaced' | 'Cluster'
  singularResource: string
  verbs: string[]
  shortNames?: string[]
  categories?: string[]
  subresources?: { subresource: string; responseKind: GroupVersionKind; verbs: string[] }[]
}

/** One API group in aggregated discovery (APIGroupDiscovery). */
export interface APIGroupDiscovery {
  metadata: { name: string; creationTimestamp: null }
  versions: { version: string; resources: APIResourceDiscovery[]; freshness: 'Current' }[]
}

/** The body of `/api` or `/apis` for aggregated discovery. */
export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList'
  apiVersion: 'apidiscovery.k8s.io/v2'
  metadata: Record<string, never>
  items: APIGroupDiscovery[]
}

/** True when an Accept header asks for aggregated discovery v2 (kubectl ≥ 1.30 always does). */
export function wantsAggregated(accept: string | undefined): boolean {
  if (!accept) return false
  return accept.split(',').some((mediaType) => {
    const params = new Map<string, string>()
    for (const p of mediaType.split(';').slice(1)) {
      const [k, v] = p.split('=')
      if (k && v !== undefined) params.set(k.trim().toLowerCase(), v.trim())
    }
    return params.get('as') === 'APIGroupDiscoveryList' && params.get('g') === 'apidiscovery.k8s.io' && params.get('v') === 'v2'
  })
}

/**
 * The aggregated discovery document for `/api` (core) or `/apis` (named groups), built from the
 * registry. Empty shortNames/categories/subresources are left out, as upstream's omitempty does.
 * upstream: staging/src/k8s.io/apiserver/pkg/endpoints/discovery/aggregated/handler.go
 */
export function aggregatedDiscovery(kind: 'api' | 'apis'): APIGroupDiscoveryList {
  const groups = new Map<string, APIGroupDiscovery>()
  for (const gv of servedGroupVersions()) {
    if ((kind === 'api') !== (gv.group === '')) continue
    let g = groups.get(gv.group)
    if (!g) groups.set(gv.group, (g = { metadata: { name: gv.group, creationTimestamp: null }, versions: [] }))
    g.versions.push({
      version: gv.version,
      freshness: 'Current',
      resources: gv.resources.map((r) => {
        const d: APIResourceDiscovery = {
          resource: r.plural,
          responseKind: responseKindOf(r),
          scope: r.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: r.singular,
          verbs: verbsFor(r),
        }
        if (r.shortNames.length) d.shortNames = [...r.shortNames]
        if (r.categories.length) d.categories = [...r.categories]
        const subs = subresourcesOf(r)
        if (subs.length) d.subresources = subs.map((s) => ({ subresource: s.name, responseKind: s.responseKind, verbs: s.verbs }))
        return d
      }),
    })
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items: [...groups.values()] }
}
