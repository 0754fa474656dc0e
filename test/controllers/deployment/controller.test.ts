import t from 'tap'
import type { Deployment, Pod, ReplicaSet } from '../../../src/api/types.js'
import { FakeClock } from '../../../src/base/clock.js'
import { isPodReady } from '../../../src/controllers/pod-util.js'
import { requireCapability } from '../../support/env.js'
import { res, startCluster, startRealKubelet, waitFor } from '../cluster.js'

const deployment: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: 4,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'echo', image: 'kplab/echo', env: [{ name: 'V', value: '1' }] }] } },
  },
}

const readyActive = (ps: Pod[]): Pod[] => ps.filter((p) => isPodReady(p) && !p.metadata.deletionTimestamp)

t.test('a rolling update never drops below replicas - maxUnavailable ready pods, nor above replicas + maxSurge', async (t) => {
  const c = await startCluster(t, { nodes: 3, controllers: ['deployment', 'replicaset'] })
  const pods = await c.watch<Pod>('pods', 'default')
  const rss = await c.watch<ReplicaSet>('replicasets', 'default')
  const deps = await c.watch<Deployment>('deployments', 'default')
  await c.client.create(res('deployments'), deployment)
  await waitFor(deps, (ds) => ds.find((d) => d.status?.availableReplicas === 4 && d.status.updatedReplicas === 4), 'first rollout')
  const firstRS = rss.cache.list()[0]!
  t.equal(firstRS.metadata.annotations?.['deployment.kubernetes.io/revision'], '1')

  let minReady = Infinity
  let maxPods = 0
  const track = (): void => {
    minReady = Math.min(minReady, readyActive(pods.cache.list()).length)
    maxPods = Math.max(maxPods, pods.cache.list().filter((p) => !p.metadata.deletionTimestamp).length)
  }
  pods.on('event', track)
  await c.client.patch(res('deployments'), 'default', 'web', { spec: { template: { spec: { containers: [{ name: 'echo', image: 'kplab/echo', env: [{ name: 'V', value: '2' }] }] } } } }, 'application/strategic-merge-patch+json')
  const done = await waitFor(deps, (ds) => ds.find((d) => d.metadata.generation === 2 && d.status?.observedGeneration === 2 && d.status.updatedReplicas === 4 && d.status.replicas === 4 && d.status.availableReplicas === 4), 'rollout done')
  await waitFor(pods, (ps) => ps.length === 4 && readyActive(ps).length === 4, 'old pods gone')
  pods.off('event', track)
  t.ok(minReady >= 3, `ready pods never below 3 (min ${minReady})`)
  t.ok(maxPods <= 5, `pods never above 5 (max ${maxPods})`)
  t.equal(done.metadata.annotations?.['deployment.kubernetes.io/revision'], '2')
  const newRS = rss.cache.list().find((r) => r.metadata.uid !== firstRS.metadata.uid)!
  t.equal(newRS.spec.replicas, 4)
  t.equal(rss.cache.get('default', firstRS.metadata.name!)?.spec.replicas, 0, 'old ReplicaSet scaled to 0 and kept as history')
  for (const p of pods.cache.list()) t.equal(p.metadata.labels?.['pod-template-hash'], newRS.metadata.labels?.['pod-template-hash'])
})

t.test('a rollout that cannot progress reports ProgressDeadlineExceeded once the fake clock passes the deadline', async (t) => {
  // No nodes: the pods stay Pending, so nothing ever becomes available.
  const clock = new FakeClock()
  const c = await startCluster(t, { nodes: 0, clock, controllers: ['deployment', 'replicaset'] })
  const deps = await c.watch<Deployment>('deployments', 'default')
  await c.client.create(res('deployments'), { ...deployment, metadata: { name: 'stuck', namespace: 'default' }, spec: { ...deployment.spec, progressDeadlineSeconds: 30 } })
  const progressing = (d: Deployment) => d.status?.conditions?.find((x) => x.type === 'Progressing')
  // Wait until every pod exists (the last progress there is), so the deadline counts from a settled time.
  const started = await waitFor(deps, (ds) => ds.find((d) => d.metadata.name === 'stuck' && progressing(d)?.status === 'True' && d.status?.updatedReplicas === 4), 'Progressing=True')
  t.match(progressing(started), { reason: /^(NewReplicaSetCreated|ReplicaSetUpdated)$/ })
  clock.advance(29_000)
  t.equal(progressing(deps.cache.get('default', 'stuck')!)?.status, 'True', 'still progressing before the deadline')
  clock.advance(2_000)
  const stuck = await waitFor(deps, (ds) => ds.find((d) => d.metadata.name === 'stuck' && progressing(d)?.reason === 'ProgressDeadlineExceeded'), 'deadline exceeded')
  t.match(progressing(stuck), { status: 'False', message: /^ReplicaSet "stuck-[a-z0-9]+" has timed out progressing\.$/ })
})

t.test('real kubelets: a 4-replica rolling update (maxSurge 1, maxUnavailable 1, readiness probe) keeps >= 3 ready pods', async (t) => {
  if (!requireCapability(t, process.platform === 'linux', 'loopback pod addresses (127.x.y.z) need Linux')) return
  const c = await startCluster(t, { nodes: 0, controllers: ['deployment', 'replicaset'] })
  const dir = t.testdir({})
  // Pod CIDRs far from the other tests' so concurrent test files never share a pod address.
  for (const i of [1, 2, 3]) await startRealKubelet(t, c, i, 230 + i, `${dir}/node-${i}`)
  const pods = await c.watch<Pod>('pods', 'default')
  const rss = await c.watch<ReplicaSet>('replicasets', 'default')
  const deps = await c.watch<Deployment>('deployments', 'default')
  const container = (v: string) => ({
    name: 'echo',
    image: 'kplab/echo',
    env: [{ name: 'V', value: v }],
    ports: [{ containerPort: 8080 }],
    readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1, failureThreshold: 1 },
  })
  const spec = (v: string): Deployment['spec'] => ({ ...deployment.spec, template: { metadata: { labels: { app: 'web' } }, spec: { terminationGracePeriodSeconds: 2, containers: [container(v)] } } })
  await c.client.create(res('deployments'), { ...deployment, metadata: { name: 'real', namespace: 'default' }, spec: spec('1') })
  const rolledOut = (gen: number) => (ds: Deployment[]) =>
    ds.find((d) => d.metadata.name === 'real' && (d.metadata.generation ?? 0) >= gen && d.status?.observedGeneration === d.metadata.generation && d.status?.updatedReplicas === 4 && d.status?.replicas === 4 && d.status?.availableReplicas === 4)
  const first = await waitFor(deps, rolledOut(1), 'first rollout on real kubelets')
  const firstRS = rss.cache.list().find((r) => r.metadata.ownerReferences?.[0]?.uid === first.metadata.uid)!
  t.equal(readyActive(pods.cache.list()).length, 4, 'four real pods ready')
  t.ok(pods.cache.list().every((p) => p.status?.podIP?.startsWith('127.')), 'pods have loopback pod IPs')

  // Every watch event from here on: ready (and not terminating) pods never below 4 - maxUnavailable.
  let minReady = Infinity
  const track = (): void => {
    minReady = Math.min(minReady, readyActive(pods.cache.list()).length)
  }
  pods.on('event', track)
  await c.client.update(res('deployments'), { ...first, spec: spec('2') })
  const done = await waitFor(deps, rolledOut(2), 'second rollout on real kubelets')
  await waitFor(pods, (ps) => ps.length === 4 && readyActive(ps).length === 4 && ps, 'old pods gone')
  pods.off('event', track)
  t.ok(minReady >= 3 && minReady !== Infinity, `ready pods never below 3 (min ${minReady})`)
  const newRS = rss.cache.list().find((r) => r.metadata.ownerReferences?.[0]?.uid === done.metadata.uid && r.metadata.uid !== firstRS.metadata.uid)!
  t.equal(rss.cache.get('default', firstRS.metadata.name!)?.spec.replicas, 0, 'old ReplicaSet scaled to 0')
  t.equal(newRS.spec.replicas, 4)
  const hash = newRS.metadata.labels?.['pod-template-hash']
  t.same(pods.cache.list().map((p) => [p.metadata.labels?.['pod-template-hash'], p.spec.containers[0]!.env?.[0]?.value]), Array(4).fill([hash, '2']), 'four new pods, new template')
  t.match(done.status?.conditions?.find((x) => x.type === 'Progressing'), { status: 'True', reason: 'NewReplicaSetAvailable' })
})
