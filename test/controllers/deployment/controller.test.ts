import t from 'tap'
import type { Deployment, Pod, ReplicaSet } from '../../../src/api/types.js'
import { isPodReady } from '../../../src/controllers/pod-util.js'
import { res, startCluster, waitFor } from '../cluster.js'

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
