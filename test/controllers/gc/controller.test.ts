import t from 'tap'
import type { Pod, Service } from '../../../src/api/types.js'
import { danglingRefs } from '../../../src/controllers/gc/controller.js'
import { res, startCluster, waitFor } from '../cluster.js'

t.test('danglingRefs lists the references whose owner is missing', async (t) => {
  const obj = { metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'a', uid: '1' }, { apiVersion: 'v1', kind: 'Service', name: 'b', uid: '2' }] } }
  t.same(danglingRefs(obj, (r) => r.uid === '1').map((r) => r.name), ['b'])
})

t.test('dependents of a vanished owner are deleted; a dependent with an owner left only loses the dangling reference', async (t) => {
  const c = await startCluster(t, { nodes: 0, controllers: ['garbage-collector'] })
  const pods = await c.watch<Pod>('pods', 'default')
  const live = await c.client.create<Service>(res('services'), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'live', namespace: 'default' }, spec: { ports: [{ port: 80 }] } })
  const ghost = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'ghost', uid: 'no-such-uid' }
  const liveRef = { apiVersion: 'v1', kind: 'Service', name: 'live', uid: live.metadata.uid! }
  const pod = (name: string, refs: object[]): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ownerReferences: refs as never }, spec: { schedulerName: 'none', containers: [{ name: 'c', image: 'x' }] } })
  await c.client.create(res('pods'), pod('orphan', [ghost]))
  await c.client.create(res('pods'), pod('shared', [ghost, liveRef]))
  await c.client.create(res('pods'), pod('owned', [liveRef]))
  await waitFor(pods, (ps) => !ps.some((p) => p.metadata.name === 'orphan') && ps.find((p) => p.metadata.name === 'shared' && p.metadata.ownerReferences?.length === 1), 'collected')
  t.same(pods.cache.get('default', 'shared')?.metadata.ownerReferences?.map((r) => r.name), ['live'])
  t.ok(pods.cache.get('default', 'owned'), 'a pod whose owner exists stays')
})
