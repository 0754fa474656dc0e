// Objects the API server itself owns: the initial namespaces and the `default/kubernetes` Service
// with its EndpointSlice, written on start.
// upstream: pkg/controlplane/controller/systemnamespaces, pkg/controlplane/reconcilers (endpoint reconciler)
import type { KubeObject } from '../../api/meta.js'
import { RESOURCES, type ResourceInfo } from '../../api/registry.js'
import { StatusError } from '../../api/errors.js'
import { firstServiceIP } from '../admission/service-allocation.js'
import type { ResourceRest } from './rest.js'
import { deepEqual } from './strategy.js'

/** The namespaces the server creates on start. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease']

const byKind = (kind: string): ResourceInfo => RESOURCES.find((r) => r.kind === kind)!

/** Creates the system namespaces that do not exist yet. */
export async function ensureSystemNamespaces(restFor: (r: ResourceInfo) => ResourceRest): Promise<void> {
  const rest = restFor(byKind('Namespace'))
  for (const name of SYSTEM_NAMESPACES) {
    try {
      await rest.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { warnings: [] })
    } catch (err) {
      if (!(err instanceof StatusError && err.code === 409)) throw err
    }
  }
}

/**
 * Writes (or corrects) the `kubernetes` Service in `default` (first IP of the range, port 443 → the
 * secure port) and its EndpointSlice pointing at the advertise address.
 */
export async function reconcileKubernetesService(
  restFor: (r: ResourceInfo) => ResourceRest,
  opts: { serviceClusterIPRange: string; securePort: number; advertiseAddress: string },
): Promise<void> {
  const svcRest = restFor(byKind('Service'))
  const labels = { component: 'apiserver', provider: 'kubernetes' }
  const ports = [{ name: 'https', port: 443, protocol: 'TCP', targetPort: opts.securePort }]
  const svc: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels },
    spec: { type: 'ClusterIP', clusterIP: firstServiceIP(opts.serviceClusterIPRange), ports, sessionAffinity: 'None' },
  }
  await upsert(svcRest, svc, (cur) => deepEqual((cur.spec as { ports?: unknown }).ports, ports), (cur) => ({ ...cur, spec: { ...(cur.spec as object), ports } }))
  const slice: KubeObject = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [opts.advertiseAddress], conditions: { ready: true } }],
    ports: [{ name: 'https', port: opts.securePort, protocol: 'TCP' }],
  }
  await upsert(
    restFor(byKind('EndpointSlice')),
    slice,
    (cur) => deepEqual(cur.endpoints, slice.endpoints) && deepEqual(cur.ports, slice.ports),
    (cur) => ({ ...cur, endpoints: slice.endpoints, ports: slice.ports }),
  )
}

async function upsert(rest: ResourceRest, obj: KubeObject, current: (cur: KubeObject) => boolean, fix: (cur: KubeObject) => KubeObject): Promise<void> {
  const { namespace, name } = obj.metadata
  // Look first: creating an existing Service would fail in allocation (its ClusterIP is taken) before the store says 409.
  const cur = await rest.get(namespace, name!).catch((err: unknown) => {
    if (err instanceof StatusError && err.code === 404) return undefined
    throw err
  })
  if (!cur) {
    await rest.create(namespace, obj, { warnings: [] })
    return
  }
  if (current(cur)) return
  await rest.update(namespace, name!, { ...fix(cur), metadata: { ...cur.metadata, resourceVersion: undefined } }, { warnings: [] })
}
