import t from 'tap'
import { applyDefaults, defaultPodSpec } from '../../src/api/defaults.js'
import { deepClone } from '../../src/api/object.js'
import { VALID, daemonSet, deployment, endpointSlice, endpoints, namespace, node, pod, replicaSet, res, service } from './fixtures.js'

const get = (o: unknown, path: string): unknown =>
  path.split('.').reduce<any>((v, k) => (v === undefined ? undefined : v[/^\d+$/.test(k) ? Number(k) : k]), o)

t.test('Pod defaults (upstream SetDefaults_PodSpec, SetDefaults_Container)', async (t) => {
  const p = pod()
  applyDefaults(res('Pod'), p)
  const want: [string, unknown][] = [
    ['spec.restartPolicy', 'Always'],
    ['spec.dnsPolicy', 'ClusterFirst'],
    ['spec.terminationGracePeriodSeconds', 30],
    ['spec.schedulerName', 'default-scheduler'],
    ['spec.enableServiceLinks', true],
    ['spec.securityContext', {}],
    ['spec.containers.0.imagePullPolicy', 'IfNotPresent'],
    ['spec.containers.0.terminationMessagePath', '/dev/termination-log'],
    ['spec.containers.0.terminationMessagePolicy', 'File'],
    ['spec.containers.0.ports.0.protocol', 'TCP'],
    ['spec.containers.0.readinessProbe.timeoutSeconds', 1],
    ['spec.containers.0.readinessProbe.periodSeconds', 10],
    ['spec.containers.0.readinessProbe.successThreshold', 1],
    ['spec.containers.0.readinessProbe.failureThreshold', 3],
    ['spec.containers.0.readinessProbe.httpGet.path', '/'],
    ['spec.containers.0.readinessProbe.httpGet.scheme', 'HTTP'],
    ['status.phase', 'Pending'],
  ]
  for (const [path, value] of want) t.same(get(p, path), value, path)
})

t.test('imagePullPolicy follows the image tag', async (t) => {
  const cases: [string, string][] = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v2', 'IfNotPresent'],
    ['registry.k8s.io/pause@sha256:abc', 'IfNotPresent'],
  ]
  for (const [image, want] of cases) {
    const spec: Record<string, unknown> = { containers: [{ name: 'c', image }] }
    defaultPodSpec(spec)
    t.equal((spec.containers as any)[0].imagePullPolicy, want, image)
  }
})

t.test('defaults never overwrite what the user set', async (t) => {
  const p = pod() as any
  p.spec.restartPolicy = 'Never'
  p.spec.containers[0].imagePullPolicy = 'Never'
  p.spec.containers[0].ports[0].protocol = 'UDP'
  p.status = { phase: 'Running' }
  applyDefaults(res('Pod'), p)
  t.equal(p.spec.restartPolicy, 'Never')
  t.equal(p.spec.containers[0].imagePullPolicy, 'Never')
  t.equal(p.spec.containers[0].ports[0].protocol, 'UDP')
  t.equal(p.status.phase, 'Running')
})

t.test('limits without requests become requests (upstream SetDefaults_Pod)', async (t) => {
  const p = pod() as any
  p.spec.containers[0].resources = { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '100m' } }
  applyDefaults(res('Pod'), p)
  t.same(p.spec.containers[0].resources.requests, { cpu: '100m', memory: '64Mi' })
})

t.test('Service defaults', async (t) => {
  const s = service() as any
  applyDefaults(res('Service'), s)
  t.equal(s.spec.type, 'ClusterIP')
  t.equal(s.spec.sessionAffinity, 'None')
  t.same(s.spec.ports.map((p: any) => [p.protocol, p.targetPort]), [
    ['TCP', 'http'],
    ['TCP', 9090],
  ])
  t.same(s.spec.ipFamilies, ['IPv4'])
  t.equal(s.spec.ipFamilyPolicy, 'SingleStack')
  t.equal(s.spec.internalTrafficPolicy, 'Cluster')
  t.equal(s.spec.externalTrafficPolicy, undefined, 'no external policy on a ClusterIP service')
  t.equal(s.spec.sessionAffinityConfig, undefined)
})

t.test('NodePort, LoadBalancer and ClientIP Service defaults', async (t) => {
  for (const type of ['NodePort', 'LoadBalancer']) {
    const s = service() as any
    s.spec.type = type
    s.spec.sessionAffinity = 'ClientIP'
    applyDefaults(res('Service'), s)
    t.equal(s.spec.externalTrafficPolicy, 'Cluster', type)
    t.same(s.spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } })
  }
  const lb = service() as any
  lb.spec.type = 'LoadBalancer'
  applyDefaults(res('Service'), lb)
  t.equal(lb.spec.allocateLoadBalancerNodePorts, true)
  const ext = service() as any
  ext.spec.externalIPs = ['192.168.56.100']
  applyDefaults(res('Service'), ext)
  t.equal(ext.spec.externalTrafficPolicy, 'Cluster', 'ClusterIP with externalIPs is externally accessible')
  const en = { metadata: { name: 'db' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } } as any
  applyDefaults(res('Service'), en)
  t.equal(en.spec.ipFamilies, undefined, 'ExternalName has no IP families')
  t.equal(en.spec.internalTrafficPolicy, undefined)
})

t.test('Deployment, ReplicaSet and DaemonSet defaults (upstream apps/v1)', async (t) => {
  const d = deployment() as any
  delete d.spec.replicas
  applyDefaults(res('Deployment'), d)
  t.equal(d.spec.replicas, 1)
  t.same(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } })
  t.equal(d.spec.revisionHistoryLimit, 10)
  t.equal(d.spec.progressDeadlineSeconds, 600)
  t.equal(d.spec.template.spec.restartPolicy, 'Always')
  t.equal(d.spec.template.spec.containers[0].imagePullPolicy, 'Always')
  const recreate = deployment() as any
  recreate.spec.strategy = { type: 'Recreate' }
  applyDefaults(res('Deployment'), recreate)
  t.same(recreate.spec.strategy, { type: 'Recreate' }, 'no rollingUpdate for Recreate')

  const rs = replicaSet() as any
  applyDefaults(res('ReplicaSet'), rs)
  t.equal(rs.spec.replicas, 1)
  t.equal(rs.spec.template.spec.dnsPolicy, 'ClusterFirst')

  const ds = daemonSet() as any
  applyDefaults(res('DaemonSet'), ds)
  t.same(ds.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } })
  t.equal(ds.spec.revisionHistoryLimit, 10)
  t.equal(ds.spec.template.spec.schedulerName, 'default-scheduler')
})

t.test('Namespace, Node, Endpoints and EndpointSlice defaults', async (t) => {
  const ns = namespace() as any
  applyDefaults(res('Namespace'), ns)
  t.equal(ns.status.phase, 'Active')
  t.equal(ns.metadata.labels['kubernetes.io/metadata.name'], 'team-a')
  const n = node() as any
  applyDefaults(res('Node'), n)
  t.same(n.status.allocatable, n.status.capacity)
  const ep = endpoints() as any
  applyDefaults(res('Endpoints'), ep)
  t.equal(ep.subsets[0].ports[0].protocol, 'TCP')
  const es = endpointSlice() as any
  applyDefaults(res('EndpointSlice'), es)
  t.equal(es.ports[0].protocol, 'TCP')
})

t.test('applyDefaults is idempotent and leaves namespace to the server', async (t) => {
  for (const [kind, make] of Object.entries(VALID)) {
    const o = make()
    delete o.metadata.namespace
    applyDefaults(res(kind), o)
    const once = deepClone(o)
    applyDefaults(res(kind), o)
    t.same(o, once, kind)
    t.equal(o.metadata.namespace, undefined, `${kind} namespace untouched`)
  }
})
