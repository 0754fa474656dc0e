/** What the API knows about one resource: names, scope and the subresources it serves. */
export interface ResourceInfo {
  /** API group; '' for core. */
  group: string
  version: string
  kind: string
  listKind: string
  /** Plural resource name used in paths (`pods`). */
  plural: string
  singular: string
  namespaced: boolean
  shortNames: string[]
  /** `all` for the kinds `kubectl get all` lists. */
  categories: string[]
  /** Subresources served: status, scale, binding, log. */
  subresources: string[]
  /** First segment of the etcd key under /registry (upstream's, e.g. `services/specs`). */
  storagePrefix: string
}

const core = (r: Omit<ResourceInfo, 'group' | 'version' | 'listKind'>): ResourceInfo => ({
  group: '',
  version: 'v1',
  listKind: `${r.kind}List`,
  ...r,
})
const grouped = (group: string, r: Omit<ResourceInfo, 'group' | 'version' | 'listKind'>): ResourceInfo => ({
  group,
  version: 'v1',
  listKind: `${r.kind}List`,
  ...r,
})

/** Every resource kplab serves, in discovery order. */
export const RESOURCES: readonly ResourceInfo[] = [
  core({ kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false, shortNames: ['ns'], categories: [], subresources: ['status'], storagePrefix: 'namespaces' }),
  core({ kind: 'Pod', plural: 'pods', singular: 'pod', namespaced: true, shortNames: ['po'], categories: ['all'], subresources: ['status', 'binding', 'log'], storagePrefix: 'pods' }),
  core({ kind: 'Service', plural: 'services', singular: 'service', namespaced: true, shortNames: ['svc'], categories: ['all'], subresources: ['status'], storagePrefix: 'services/specs' }),
  core({ kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', namespaced: true, shortNames: ['ep'], categories: [], subresources: [], storagePrefix: 'services/endpoints' }),
  core({ kind: 'Node', plural: 'nodes', singular: 'node', namespaced: false, shortNames: ['no'], categories: [], subresources: ['status'], storagePrefix: 'minions' }),
  core({ kind: 'Event', plural: 'events', singular: 'event', namespaced: true, shortNames: ['ev'], categories: [], subresources: [], storagePrefix: 'events' }),
  grouped('apps', { kind: 'Deployment', plural: 'deployments', singular: 'deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'], subresources: ['status', 'scale'], storagePrefix: 'deployments' }),
  grouped('apps', { kind: 'ReplicaSet', plural: 'replicasets', singular: 'replicaset', namespaced: true, shortNames: ['rs'], categories: ['all'], subresources: ['status', 'scale'], storagePrefix: 'replicasets' }),
  grouped('apps', { kind: 'DaemonSet', plural: 'daemonsets', singular: 'daemonset', namespaced: true, shortNames: ['ds'], categories: ['all'], subresources: ['status'], storagePrefix: 'daemonsets' }),
  grouped('discovery.k8s.io', { kind: 'EndpointSlice', plural: 'endpointslices', singular: 'endpointslice', namespaced: true, shortNames: [], categories: [], subresources: [], storagePrefix: 'endpointslices' }),
  grouped('coordination.k8s.io', { kind: 'Lease', plural: 'leases', singular: 'lease', namespaced: true, shortNames: [], categories: [], subresources: [], storagePrefix: 'leases' }),
]

/** `apps/v1`, or `v1` for core. */
export function groupVersion(r: Pick<ResourceInfo, 'group' | 'version'>): string {
  return r.group ? `${r.group}/${r.version}` : r.version
}

/** Group-qualified resource name as Kubernetes writes it in messages (`deployments.apps`, `pods`). */
export function qualifiedResource(r: ResourceInfo): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural
}

/** The resource served at group/version/plural, if any. */
export function resourceFor(group: string, version: string, plural: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural)
}

/** The resource for an object's apiVersion and kind, if served. */
export function resourceForKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => groupVersion(r) === apiVersion && r.kind === kind)
}

/** Looks a resource up the way kubectl users name it: plural, singular, short name or kind, any case. */
export function resourceByName(name: string): ResourceInfo | undefined {
  const n = name.toLowerCase()
  const [base, ...group] = n.split('.')
  return RESOURCES.find(
    (r) =>
      (group.length === 0 || r.group === group.join('.')) &&
      (r.plural === base || r.singular === base || r.kind.toLowerCase() === base || r.shortNames.includes(base!)),
  )
}

/** The group-versions served, core first. */
export function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>()
  for (const r of RESOURCES) seen.set(groupVersion(r), { group: r.group, version: r.version })
  return [...seen.values()]
}
