import t from 'tap'
import type { Event, Pod } from '../../src/api/types.js'
import { res, startCluster, waitFor } from '../controllers/cluster.js'

const pod = (name: string, extra: Partial<Pod['spec']> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'kplab/echo', resources: { requests: { cpu: '8' } } }], nodeSelector: { zone: 'a' }, ...extra },
})

t.test('an unschedulable pod carries the upstream message, and is scheduled once a node fits', async (t) => {
  const c = await startCluster(t, { nodes: 0, controllers: [], scheduler: { initialBackoffMs: 50, maxBackoffMs: 200 } })
  await c.addNode(1, { labels: { zone: 'a' } })
  await c.addNode(2, { labels: { zone: 'b' } })
  await c.addNode(3, { labels: { zone: 'b' } })
  const pods = await c.watch<Pod>('pods', 'default')
  const events = await c.watch<Event>('events', 'default')
  await c.client.create(res('pods'), pod('big'))
  const msg = "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector."
  const p = await waitFor(pods, (ps) => ps.find((x) => x.status?.conditions?.some((cd) => cd.type === 'PodScheduled' && cd.status === 'False')), 'PodScheduled=False')
  t.match(p.status!.conditions!.find((x) => x.type === 'PodScheduled'), { status: 'False', reason: 'Unschedulable', message: msg })
  const ev = await waitFor(events, (es) => es.find((e) => e.reason === 'FailedScheduling'), 'event')
  t.match(ev, { type: 'Warning', message: msg, involvedObject: { kind: 'Pod', name: 'big' } })

  await c.addNode(4, { labels: { zone: 'a' }, allocatable: { cpu: '16', memory: '32Gi', pods: '110' } })
  const bound = await waitFor(pods, (ps) => ps.find((x) => x.metadata.name === 'big' && x.spec.nodeName), 'bound after a node joined')
  t.equal(bound.spec.nodeName, 'node-4')
  t.match(bound.status?.conditions?.find((x) => x.type === 'PodScheduled'), { status: 'True' })
})

t.test('pods of one owner spread over nodes; schedulerName is respected', async (t) => {
  const c = await startCluster(t, { nodes: 3, controllers: [] })
  const pods = await c.watch<Pod>('pods', 'default')
  const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u-1', controller: true }
  for (let i = 0; i < 6; i++) {
    await c.client.create(res('pods'), { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'default', ownerReferences: [owner] }, spec: { containers: [{ name: 'c', image: 'x' }] } } as Pod)
  }
  await c.client.create(res('pods'), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'other', namespace: 'default' }, spec: { schedulerName: 'someone-else', containers: [{ name: 'c', image: 'x' }] } } as Pod)
  const all = await waitFor(pods, (ps) => {
    const b = ps.filter((p) => p.metadata.name!.startsWith('p') && p.spec.nodeName)
    return b.length === 6 ? b : undefined
  })
  const per = new Map<string, number>()
  for (const p of all) per.set(p.spec.nodeName!, (per.get(p.spec.nodeName!) ?? 0) + 1)
  t.same([...per.values()], [2, 2, 2], 'two per node')
  t.notOk(pods.cache.get('default', 'other')?.spec.nodeName, 'a pod for another scheduler is left alone')
})
