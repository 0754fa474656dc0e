import t from 'tap'
import type { Deployment, EndpointSlice, Lease, Node, Pod, Service } from '../../../src/api/types.js'
import { FakeClock } from '../../../src/base/clock.js'
import { ControllerManager } from '../../../src/controllers/controller-manager.js'
import { rfc3339 } from '../../../src/api/object.js'
import { res, startCluster, waitFor } from '../cluster.js'

const readyEndpoints = (slices: EndpointSlice[]): number =>
  slices.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web').reduce((n, s) => n + s.endpoints.filter((e) => e.conditions?.ready).length, 0)

t.test('a node that stops renewing its Lease loses its endpoints after the grace period, then its pods', async (t) => {
  const fake = new FakeClock()
  const c = await startCluster(t, { nodes: 3, kubeletClock: fake, controllers: ['deployment', 'replicaset', 'endpointslice'] })
  // Node lifecycle runs on the fake clock so the test decides when the grace period has passed.
  const lifecycle = new ControllerManager({ client: c.newClient(), clock: fake, controllers: ['node-lifecycle'], nodeMonitorGracePeriodMs: 20_000, nodeMonitorPeriodMs: 5_000, defaultTolerationSeconds: 30 })
  const leases = lifecycle.informers.informer<Lease>('leases')
  const stop = new AbortController()
  const running = lifecycle.run(stop.signal)
  t.teardown(async () => {
    stop.abort()
    await running
  })
  await lifecycle.informers.waitForSync()

  const pods = await c.watch<Pod>('pods', 'default')
  const nodes = await c.watch<Node>('nodes')
  const slices = await c.watch<EndpointSlice>('endpointslices', 'default')
  await c.client.create(res('deployments'), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'echo', image: 'kplab/echo' }] } } },
  } as Deployment)
  await c.client.create(res('services'), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } as Service)
  await waitFor(slices, (s) => readyEndpoints(s) === 3, '3 ready endpoints')
  const onNode3 = pods.cache.list().filter((p) => p.spec.nodeName === 'node-3').map((p) => p.metadata.name)
  t.equal(onNode3.length, 1, 'one pod on node-3')
  await c.kubelets.get('node-3')!.stop()

  // node-1 and node-2 keep heartbeating every 5 s; node-3 has gone silent.
  const heartbeat = async (): Promise<void> => {
    fake.advance(5_000)
    for (const n of ['node-1', 'node-2']) {
      await c.kubelets.get(n)!.renewLease()
      const want = rfc3339(fake.now())
      await waitFor(leases, (ls) => ls.find((l) => l.metadata.name === n && l.spec?.renewTime === want), 'lease seen')
    }
  }
  for (let i = 0; i < 4; i++) await heartbeat()
  t.equal(readyEndpoints(slices.cache.list()), 3, 'still ready within the grace period')
  for (let i = 0; i < 2; i++) await heartbeat()
  const n3 = await waitFor(nodes, (ns) => ns.find((n) => n.metadata.name === 'node-3' && n.spec?.taints?.some((x) => x.effect === 'NoExecute')), 'node-3 tainted')
  t.match(n3.status?.conditions?.find((x) => x.type === 'Ready'), { status: 'Unknown', reason: 'NodeStatusUnknown' })
  t.same(n3.spec?.taints?.map((x) => `${x.key}:${x.effect}`), ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute'])
  await waitFor(slices, (s) => readyEndpoints(s) === 2, 'endpoint of node-3 not ready')
  t.equal(nodes.cache.get(undefined, 'node-1')?.spec?.taints, undefined, 'healthy nodes untouched')

  // After the (default) toleration of 30 s the pod is evicted and replaced on a healthy node.
  for (let i = 0; i < 7; i++) await heartbeat()
  await waitFor(pods, (ps) => ps.find((p) => p.metadata.name === onNode3[0] && p.metadata.deletionTimestamp), 'pod evicted')
  await waitFor(slices, (s) => readyEndpoints(s) === 3, 'replacement ready on a healthy node')
  const placed = pods.cache.list().filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec.nodeName)
  t.notOk(placed.includes('node-3'), 'no new pod on the unreachable node')
})
