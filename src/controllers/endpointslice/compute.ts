// The EndpointSlice controller's decisions, pure: a Service's endpoints from its pods (ready, serving,
// terminating, ports resolved from named targetPorts), packed into slices of at most 100, and the
// legacy Endpoints object.
// upstream: pkg/controller/endpointslice/reconciler.go, staging/src/k8s.io/endpointslice/utils.go
//           (podToEndpoint, getEndpointPorts), pkg/controller/endpoint/endpoints_controller.go
import type { OwnerReference } from '../../api/meta.js'
import type { Endpoint, EndpointAddress, EndpointSlice, EndpointSlicePort, EndpointSubset, Endpoints, Pod, Service } from '../../api/types.js'
import { isPodReady } from '../pod-util.js'

/** Label naming the Service a slice belongs to. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'
/** Label naming the controller that manages a slice. */
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by'
/** Our value of the managed-by label (upstream's). */
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io'
/** upstream default --max-endpoints-per-slice. */
export const MAX_ENDPOINTS_PER_SLICE = 100

/** The container port a Service port's targetPort names, or the number itself; undefined when the pod lacks it. */
export function resolveTargetPort(pod: Pod, target: number | string | undefined, port: number, protocol: string): number | undefined {
  if (target === undefined || target === '' || target === 0) return port
  if (typeof target === 'number') return target
  if (/^\d+$/.test(target)) return Number(target)
  for (const c of pod.spec.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort
  }
  return undefined
}

/** The slice ports of a pod for a Service, in the Service's port order. */
export function endpointPorts(svc: Service, pod: Pod): EndpointSlicePort[] {
  const out: EndpointSlicePort[] = []
  for (const sp of svc.spec.ports ?? []) {
    const protocol = sp.protocol ?? 'TCP'
    const port = resolveTargetPort(pod, sp.targetPort, sp.port, protocol)
    if (port === undefined) continue
    const p: EndpointSlicePort = { name: sp.name ?? '', port, protocol }
    if (sp.appProtocol) p.appProtocol = sp.appProtocol
    out.push(p)
  }
  return out
}

/** The endpoint for a pod, or undefined when it has no IP or has finished. */
export function podToEndpoint(svc: Service, pod: Pod): Endpoint | undefined {
  if (!pod.status?.podIP || pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') return undefined
  const terminating = pod.metadata.deletionTimestamp !== undefined
  const serving = isPodReady(pod) || svc.spec.publishNotReadyAddresses === true
  const ep: Endpoint = {
    addresses: [pod.status.podIP],
    conditions: { ready: serving && !terminating, serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  }
  if (pod.spec.nodeName) ep.nodeName = pod.spec.nodeName
  if (pod.spec.hostname && pod.spec.subdomain === svc.metadata.name) ep.hostname = pod.spec.hostname
  return ep
}

/** Endpoints grouped by their resolved port set (pods with different named ports land apart). */
export interface PortGroup {
  ports: EndpointSlicePort[]
  endpoints: Endpoint[]
}

/** Groups the selected pods' endpoints by port set, each group sorted by pod name. */
export function groupEndpoints(svc: Service, pods: readonly Pod[]): PortGroup[] {
  const groups = new Map<string, PortGroup>()
  const sorted = [...pods].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1))
  for (const pod of sorted) {
    const ep = podToEndpoint(svc, pod)
    if (!ep) continue
    const ports = endpointPorts(svc, pod)
    const k = JSON.stringify(ports)
    let g = groups.get(k)
    if (!g) groups.set(k, (g = { ports, endpoints: [] }))
    g.endpoints.push(ep)
  }
  return [...groups.values()]
}

/** The content a slice should have: labels, ports, endpoints (metadata.name is filled by the reconciler). */
export function desiredSlices(svc: Service, pods: readonly Pod[], max = MAX_ENDPOINTS_PER_SLICE): EndpointSlice[] {
  const out: EndpointSlice[] = []
  const ref: OwnerReference = { apiVersion: 'v1', kind: 'Service', name: svc.metadata.name!, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true }
  const labels = { ...(svc.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: svc.metadata.name!, [MANAGED_BY_LABEL]: CONTROLLER_NAME }
  const groups = groupEndpoints(svc, pods)
  // A Service with no endpoints still gets one empty slice (upstream placeholder slice).
  if (groups.length === 0) groups.push({ ports: [], endpoints: [] })
  for (const g of groups) {
    for (let i = 0; i === 0 || i < g.endpoints.length; i += max) {
      out.push({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { namespace: svc.metadata.namespace, generateName: `${svc.metadata.name}-`, labels: { ...labels }, ownerReferences: [{ ...ref }] },
        addressType: 'IPv4',
        endpoints: g.endpoints.slice(i, i + max),
        ports: g.ports,
      })
    }
  }
  return out
}

/** A plan of slice writes: reuse existing slices in order, create the rest, delete the surplus. */
export interface SlicePlan {
  create: EndpointSlice[]
  update: EndpointSlice[]
  delete: EndpointSlice[]
}

function sameContent(a: EndpointSlice, b: EndpointSlice): boolean {
  return (
    JSON.stringify(a.endpoints) === JSON.stringify(b.endpoints) &&
    JSON.stringify(a.ports ?? []) === JSON.stringify(b.ports ?? []) &&
    JSON.stringify(a.metadata.labels ?? {}) === JSON.stringify(b.metadata.labels ?? {}) &&
    a.addressType === b.addressType
  )
}

/** Matches desired slices to existing ones (same ports first), so unchanged slices are not rewritten. */
export function planSlices(desired: readonly EndpointSlice[], existing: readonly EndpointSlice[]): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] }
  const free = [...existing].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1))
  const unmatched: EndpointSlice[] = []
  for (const want of desired) {
    const exact = free.findIndex((s) => sameContent(s, want))
    if (exact >= 0) {
      free.splice(exact, 1)
      continue
    }
    unmatched.push(want)
  }
  for (const want of unmatched) {
    const reuse = free.findIndex((s) => JSON.stringify(s.ports ?? []) === JSON.stringify(want.ports ?? []))
    const slot = reuse >= 0 ? free.splice(reuse, 1)[0] : free.shift()
    if (slot) plan.update.push({ ...slot, metadata: { ...slot.metadata, labels: want.metadata.labels, ownerReferences: want.metadata.ownerReferences }, endpoints: want.endpoints, ports: want.ports, addressType: want.addressType })
    else plan.create.push(want)
  }
  plan.delete = free
  return plan
}

/** The legacy Endpoints object: ready addresses and not-ready ones per port set, sorted by IP. */
export function desiredEndpoints(svc: Service, pods: readonly Pod[]): Endpoints {
  const subsets: EndpointSubset[] = []
  for (const g of groupEndpoints(svc, pods)) {
    const addresses: EndpointAddress[] = []
    const notReady: EndpointAddress[] = []
    for (const ep of g.endpoints) {
      // upstream's Endpoints controller leaves terminating pods out unless publishNotReadyAddresses.
      if (ep.conditions?.terminating && !svc.spec.publishNotReadyAddresses) continue
      const a: EndpointAddress = { ip: ep.addresses[0]!, targetRef: ep.targetRef }
      if (ep.nodeName) a.nodeName = ep.nodeName
      if (ep.hostname) a.hostname = ep.hostname
      ;(ep.conditions?.ready ? addresses : notReady).push(a)
    }
    if (addresses.length === 0 && notReady.length === 0) continue
    const byIp = (x: EndpointAddress, y: EndpointAddress): number => (x.ip < y.ip ? -1 : x.ip > y.ip ? 1 : 0)
    const subset: EndpointSubset = { ports: g.ports.map((p) => ({ name: p.name || undefined, port: p.port!, protocol: p.protocol })) }
    for (const p of subset.ports!) if (p.name === undefined) delete p.name
    if (addresses.length) subset.addresses = addresses.sort(byIp)
    if (notReady.length) subset.notReadyAddresses = notReady.sort(byIp)
    subsets.push(subset)
  }
  const ep: Endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace, labels: { ...(svc.metadata.labels ?? {}), 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
  }
  if (subsets.length) ep.subsets = subsets
  return ep
}
