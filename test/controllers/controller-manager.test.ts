import t from 'tap'
import type { Deployment, EndpointSlice, Endpoints, Pod, Service } from '../../src/api/types.js'
import { isPodReady } from '../../src/controllers/pod-util.js'
import { res, startCluster, waitFor } from './cluster.js'

const deployment = (replicas: number): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'echo', image: 'kplab/echo', ports: [{ name: 'http', containerPort: 8080 }] }] } },
  },
})

const service: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
}

const readyEndpoints = (slices: EndpointSlice[]): number =>
  slices.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web').reduce((n, s) => n + s.endpoints.filter((e) => e.conditions?.ready).length, 0)

t.test('a Deployment and a Service become ready pods spread over nodes and ready endpoints', async (t) => {
  const c = await startCluster(t, { nodes: 3 })
  const pods = await c.watch<Pod>('pods', 'default')
  const slices = await c.watch<EndpointSlice>('endpointslices', 'default')
  const endpoints = await c.watch<Endpoints>('endpoints', 'default')
  const started = Date.now()
  await c.client.create(res('deployments'), deployment(3))
  await c.client.create(res('services'), service)

  const running = await waitFor(pods, (ps) => {
    const ok = ps.filter((p) => p.status?.phase === 'Running' && isPodReady(p) && !p.metadata.deletionTimestamp)
    return ok.length === 3 ? ok : undefined
  }, '3 ready pods')
  t.same(new Set(running.map((p) => p.spec.nodeName)).size, 3, 'one pod per node')
  await waitFor(slices, (s) => readyEndpoints(s) === 3, '3 ready endpoints')
  t.comment(`convergence (apply → 3 ready endpoints): ${Date.now() - started} ms`)
  const slice = slices.cache.list().find((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web')!
  t.same(slice.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }], 'named targetPort resolved')
  t.equal(slice.metadata.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io')
  const ep = await waitFor(endpoints, (es) => es.find((e) => e.metadata.name === 'web' && e.subsets?.[0]?.addresses?.length === 3), 'legacy Endpoints')
  t.equal(ep.subsets![0]!.ports![0]!.port, 8080)

  t.test('status lets kubectl rollout status finish', async (t) => {
    const deps = await c.watch<Deployment>('deployments', 'default')
    const d = await waitFor(deps, (ds) => ds.find((x) => x.status?.availableReplicas === 3 && x.status.updatedReplicas === 3))
    t.equal(d.status!.observedGeneration, d.metadata.generation)
    t.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1')
    t.match(d.status!.conditions, [{ type: 'Available', status: 'True' }, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }])
  })

  t.test('scale to 5 and back to 3', async (t) => {
    await c.client.patch(res('deployments'), 'default', 'web', { spec: { replicas: 5 } }, 'application/merge-patch+json')
    await waitFor(slices, (s) => readyEndpoints(s) === 5, '5 ready endpoints')
    await c.client.patch(res('deployments'), 'default', 'web', { spec: { replicas: 3 } }, 'application/merge-patch+json')
    await waitFor(slices, (s) => readyEndpoints(s) === 3, 'back to 3')
    await waitFor(pods, (ps) => ps.length === 3, 'surplus pods deleted')
    t.pass('scaled')
  })

  t.test('a pod that is not ready leaves the endpoints, and comes back', async (t) => {
    const victim = pods.cache.list()[0]!
    await c.kubelets.get(victim.spec.nodeName!)!.setReady('default', victim.metadata.name!, false)
    await waitFor(slices, (s) => readyEndpoints(s) === 2, 'endpoint not ready')
    const ep = await waitFor(endpoints, (es) => es.find((e) => e.metadata.name === 'web' && e.subsets?.[0]?.notReadyAddresses?.length === 1))
    t.equal(ep.subsets![0]!.notReadyAddresses![0]!.targetRef?.name, victim.metadata.name)
    await c.kubelets.get(victim.spec.nodeName!)!.setReady('default', victim.metadata.name!, true)
    await waitFor(slices, (s) => readyEndpoints(s) === 3, 'endpoint ready again')
  })
})
