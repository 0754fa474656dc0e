import { responseKindOf, servedGroupVersions, subresourcesOf, verbsFor } from './resources.js'

/** `GET /api` in legacy discovery. */
export interface APIVersions {
  kind: 'APIVersions'
  versions: string[]
  serverAddressByClientCIDRs: { clientCIDR: string; serverAddress: string }[]
}

/** A group-version pair as legacy discovery writes it. */
export interface GroupVersionForDiscovery {
  groupVersion: string
  version: string
}

/** `GET /apis` in legacy discovery. */
export interface APIGroupList {
  kind: 'APIGroupList'
  apiVersion: 'v1'
  groups: { name: string; versions: GroupVersionForDiscovery[]; preferredVersion: GroupVersionForDiscovery }[]
}

/** One entry of an APIResourceList (a resource or a `plural/subresource`). */
export interface APIResource {
  name: string
  singularName: string
  namespaced: boolean
  group?: string
  version?: string
  kind: string
  verbs: string[]
  shortNames?: string[]
  categories?: string[]
}

/** `GET /api/v1` or `GET /apis/<group>/<version>` in legacy discovery. */
export interface APIResourceList {
  kind: 'APIResourceList'
  apiVersion: 'v1'
  groupVersion: string
  resources: APIResource[]
}

/** The legacy `/api` answer; serverAddress is what clients should dial (`127.0.0.1:6443`). */
export function apiVersions(serverAddress: string): APIVersions {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] }
}

/** The legacy `/apis` answer: every named group with its (single, preferred) version. */
export function apiGroupList(): APIGroupList {
  const groups = new Map<string, APIGroupList['groups'][number]>()
  for (const gv of servedGroupVersions()) {
    if (gv.group === '') continue
    const v = { groupVersion: gv.groupVersion, version: gv.version }
    const g = groups.get(gv.group)
    if (g) g.versions.push(v)
    else groups.set(gv.group, { name: gv.group, versions: [v], preferredVersion: v })
  }
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groups.values()] }
}

/**
 * The legacy resource list of one group-version (group '' for core), subresources included as
 * `plural/sub` entries; undefined when that group-version is not served (the route answers 404).
 * upstream: staging/src/k8s.io/apiserver/pkg/endpoints/installer.go (APIResource per path)
 */
export function apiResourceList(group: string, version: string): APIResourceList | undefined {
  const gv = servedGroupVersions().find((x) => x.group === group && x.version === version)
  if (!gv) return undefined
  const resources: APIResource[] = []
  for (const r of gv.resources) {
    const main: APIResource = { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: verbsFor(r) }
    if (r.shortNames.length) main.shortNames = [...r.shortNames]
    if (r.categories.length) main.categories = [...r.categories]
    resources.push(main)
    for (const s of subresourcesOf(r)) {
      const sub: APIResource = { name: `${r.plural}/${s.name}`, singularName: '', namespaced: r.namespaced, kind: s.responseKind.kind, verbs: s.verbs }
      // Only a response kind from another group-version is spelled out (deployments/scale → autoscaling/v1).
      const own = responseKindOf(r)
      if (s.responseKind.group !== own.group || s.responseKind.version !== own.version) {
        sub.group = s.responseKind.group
        sub.version = s.responseKind.version
      }
      resources.push(sub)
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv.groupVersion, resources }
}
