// Upstream's defaulting, applied to an object before validation on every create and update.
// upstream: pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go, pkg/apis/discovery/v1/defaults.go
import type { KubeObject } from './meta.js'
import type { ResourceInfo } from './registry.js'

type Obj = Record<string, unknown>

function child(o: Obj, key: string): Obj {
  const v = o[key]
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Obj
  const fresh: Obj = {}
  o[key] = fresh
  return fresh
}

function items(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter((x): x is Obj => !!x && typeof x === 'object') : []
}

function setIfAbsent(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null || o[key] === '') o[key] = value
}

// upstream: pkg/apis/core/v1/defaults.go (SetDefaults_Container: pull policy from the image tag)
function imagePullPolicyFor(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent'
  if (image.includes('@')) return 'IfNotPresent'
  const lastSegment = image.slice(image.lastIndexOf('/') + 1)
  const colon = lastSegment.lastIndexOf(':')
  const tag = colon >= 0 ? lastSegment.slice(colon + 1) : ''
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent'
}

// upstream: SetDefaults_Probe, SetDefaults_HTTPGetAction
function defaultProbe(p: unknown): void {
  if (!p || typeof p !== 'object') return
  const probe = p as Obj
  setIfAbsent(probe, 'timeoutSeconds', 1)
  setIfAbsent(probe, 'periodSeconds', 10)
  setIfAbsent(probe, 'successThreshold', 1)
  setIfAbsent(probe, 'failureThreshold', 3)
  const http = probe.httpGet
  if (http && typeof http === 'object') {
    setIfAbsent(http as Obj, 'path', '/')
    setIfAbsent(http as Obj, 'scheme', 'HTTP')
  }
}

function defaultContainer(c: Obj): void {
  setIfAbsent(c, 'imagePullPolicy', imagePullPolicyFor(c.image))
  setIfAbsent(c, 'terminationMessagePath', '/dev/termination-log')
  setIfAbsent(c, 'terminationMessagePolicy', 'File')
  for (const p of items(c.ports)) setIfAbsent(p, 'protocol', 'TCP')
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(c[probe])
  // upstream: SetDefaults_Pod copies limits into missing requests so the scheduler sees them
  const res = c.resources as { limits?: Obj; requests?: Obj } | undefined
  if (res?.limits && typeof res.limits === 'object') {
    res.requests = { ...res.limits, ...(res.requests ?? {}) }
  }
}

/** Applies upstream's PodSpec defaults (also used for workload templates). */
export function defaultPodSpec(spec: Obj): void {
  setIfAbsent(spec, 'restartPolicy', 'Always')
  setIfAbsent(spec, 'dnsPolicy', 'ClusterFirst')
  setIfAbsent(spec, 'terminationGracePeriodSeconds', 30)
  setIfAbsent(spec, 'schedulerName', 'default-scheduler')
  setIfAbsent(spec, 'enableServiceLinks', true)
  if (spec.securityContext === undefined) spec.securityContext = {}
  for (const c of [...items(spec.containers), ...items(spec.initContainers)]) defaultContainer(c)
}

function defaultPod(o: Obj): void {
  defaultPodSpec(child(o, 'spec'))
  // upstream: pkg/registry/core/pod/strategy.go (PrepareForCreate sets phase Pending)
  setIfAbsent(child(o, 'status'), 'phase', 'Pending')
}

function defaultService(o: Obj): void {
  const spec = child(o, 'spec')
  setIfAbsent(spec, 'type', 'ClusterIP')
  setIfAbsent(spec, 'sessionAffinity', 'None')
  for (const p of items(spec.ports)) {
    setIfAbsent(p, 'protocol', 'TCP')
    // upstream: SetDefaults_Service — an unset (zero) targetPort means "same as port"
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port
  }
  if (spec.sessionAffinity === 'ClientIP') {
    const clientIP = child(child(spec, 'sessionAffinityConfig'), 'clientIP')
    setIfAbsent(clientIP, 'timeoutSeconds', 10800)
  }
  const externalIPs = Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0
  // upstream: only externally-accessible Services carry an external traffic policy
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || (spec.type === 'ClusterIP' && externalIPs)) {
    setIfAbsent(spec, 'externalTrafficPolicy', 'Cluster')
  }
  if (spec.type === 'LoadBalancer') setIfAbsent(spec, 'allocateLoadBalancerNodePorts', true)
  if (spec.type !== 'ExternalName') {
    setIfAbsent(spec, 'internalTrafficPolicy', 'Cluster')
    // upstream sets these in the registry's IP-family logic; kplab is single-stack IPv4
    if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) spec.ipFamilies = ['IPv4']
    setIfAbsent(spec, 'ipFamilyPolicy', 'SingleStack')
  }
}

function defaultTemplate(spec: Obj): void {
  defaultPodSpec(child(child(spec, 'template'), 'spec'))
}

function defaultDeployment(o: Obj): void {
  const spec = child(o, 'spec')
  setIfAbsent(spec, 'replicas', 1)
  const strategy = child(spec, 'strategy')
  setIfAbsent(strategy, 'type', 'RollingUpdate')
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate')
    setIfAbsent(ru, 'maxUnavailable', '25%')
    setIfAbsent(ru, 'maxSurge', '25%')
  }
  setIfAbsent(spec, 'revisionHistoryLimit', 10)
  setIfAbsent(spec, 'progressDeadlineSeconds', 600)
  defaultTemplate(spec)
}

function defaultReplicaSet(o: Obj): void {
  const spec = child(o, 'spec')
  setIfAbsent(spec, 'replicas', 1)
  defaultTemplate(spec)
}

function defaultDaemonSet(o: Obj): void {
  const spec = child(o, 'spec')
  const strategy = child(spec, 'updateStrategy')
  setIfAbsent(strategy, 'type', 'RollingUpdate')
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate')
    setIfAbsent(ru, 'maxUnavailable', 1)
    if (ru.maxSurge === undefined) ru.maxSurge = 0
  }
  setIfAbsent(spec, 'revisionHistoryLimit', 10)
  defaultTemplate(spec)
}

function defaultNamespace(o: Obj, meta: KubeObject['metadata']): void {
  setIfAbsent(child(o, 'status'), 'phase', 'Active')
  // upstream: SetDefaults_Namespace labels every namespace with its own name (NamespaceDefaultLabelName)
  if (meta.name) meta.labels = { ...(meta.labels ?? {}), 'kubernetes.io/metadata.name': meta.name }
}

function defaultNode(o: Obj): void {
  // upstream: SetDefaults_NodeStatus — allocatable defaults to capacity
  const status = o.status as Obj | undefined
  if (status?.capacity && status.allocatable === undefined) status.allocatable = { ...(status.capacity as Obj) }
}

function defaultEndpoints(o: Obj): void {
  for (const subset of items(o.subsets)) for (const p of items(subset.ports)) setIfAbsent(p, 'protocol', 'TCP')
}

function defaultEndpointSlice(o: Obj): void {
  for (const p of items(o.ports)) setIfAbsent(p, 'protocol', 'TCP')
}

const BY_KIND: Record<string, (o: Obj, meta: KubeObject['metadata']) => void> = {
  Pod: defaultPod,
  Service: defaultService,
  Deployment: defaultDeployment,
  ReplicaSet: defaultReplicaSet,
  DaemonSet: defaultDaemonSet,
  Namespace: defaultNamespace,
  Node: defaultNode,
  Endpoints: defaultEndpoints,
  EndpointSlice: defaultEndpointSlice,
}

/**
 * Fills in upstream's defaults on obj, in place, for its resource's kind. Idempotent. Leaves
 * metadata.namespace alone: defaulting it from the request is the apiserver's job.
 */
export function applyDefaults(resource: Pick<ResourceInfo, 'kind'>, obj: KubeObject): void {
  if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = {}
  BY_KIND[resource.kind]?.(obj as unknown as Obj, obj.metadata)
}
