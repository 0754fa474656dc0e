import type { ResourceInfo } from '../api/registry.js'

/** Root of every key, as upstream's apiserver lays out etcd. */
export const REGISTRY_ROOT = '/registry'

/** The key of one object: `/registry/pods/default/web`, `/registry/minions/node-1`. */
export function keyFor(r: ResourceInfo, namespace: string | undefined, name: string): string {
  return r.namespaced ? `${REGISTRY_ROOT}/${r.storagePrefix}/${namespace}/${name}` : `${REGISTRY_ROOT}/${r.storagePrefix}/${name}`
}

/** The prefix of a list or watch: all namespaces, or one namespace. Always ends with `/`. */
export function prefixFor(r: ResourceInfo, namespace?: string): string {
  return r.namespaced && namespace ? `${REGISTRY_ROOT}/${r.storagePrefix}/${namespace}/` : `${REGISTRY_ROOT}/${r.storagePrefix}/`
}
