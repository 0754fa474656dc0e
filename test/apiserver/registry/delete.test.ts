import t from 'tap'
import type { KubeObject } from '../../../src/api/meta.js'
import { parseDeleteOptions } from '../../../src/apiserver/registry/delete.js'
import { call, deployment, newApp, pod } from '../harness.js'

const owned = (p: KubeObject, owner: KubeObject): KubeObject => ({
  ...p,
  metadata: { ...p.metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind!, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true }] },
})

t.test('parseDeleteOptions reads body and query', async (t) => {
  t.same(parseDeleteOptions({ propagationPolicy: 'Foreground', gracePeriodSeconds: 0, dryRun: ['All'] }, {}), { propagationPolicy: 'Foreground', gracePeriodSeconds: 0, dryRun: true })
  t.same(parseDeleteOptions(undefined, { gracePeriodSeconds: '5', dryRun: 'All' }), { gracePeriodSeconds: 5, dryRun: true })
  t.throws(() => parseDeleteOptions({ propagationPolicy: 'Later' }, {}), { code: 400 })
  t.throws(() => parseDeleteOptions({ gracePeriodSeconds: 'soon' }, {}), { code: 400 })
})

t.test('Background deletes dependents after the owner; Orphan keeps them without the reference', async (t) => {
  const { app } = await newApp(t)
  const d = (await call(app, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web'))).body
  const rs = (await call(app, 'POST', '/apis/apps/v1/namespaces/default/replicasets', owned({ ...deployment('web-1'), kind: 'ReplicaSet' }, d))).body
  t.equal((await call(app, 'POST', '/api/v1/namespaces/default/pods', owned(pod('web-1-a', { app: 'web' }), rs))).status, 201)
  const del = await call(app, 'DELETE', '/apis/apps/v1/namespaces/default/deployments/web', { propagationPolicy: 'Background' })
  t.equal(del.status, 200)
  t.equal((await call(app, 'GET', '/apis/apps/v1/namespaces/default/replicasets/web-1')).status, 404, 'ReplicaSet collected')
  t.equal((await call(app, 'GET', '/api/v1/namespaces/default/pods/web-1-a')).status, 404, 'its unscheduled pod collected too')

  const d2 = (await call(app, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment('api'))).body
  await call(app, 'POST', '/apis/apps/v1/namespaces/default/replicasets', owned({ ...deployment('api-1'), kind: 'ReplicaSet' }, d2))
  await call(app, 'DELETE', '/apis/apps/v1/namespaces/default/deployments/api', { propagationPolicy: 'Orphan' })
  const orphan = await call(app, 'GET', '/apis/apps/v1/namespaces/default/replicasets/api-1')
  t.equal(orphan.status, 200)
  t.notOk(orphan.body.metadata.ownerReferences, 'owner reference removed')
})

t.test('Foreground deletes dependents first', async (t) => {
  const { app } = await newApp(t)
  const d = (await call(app, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web'))).body
  await call(app, 'POST', '/apis/apps/v1/namespaces/default/replicasets', owned({ ...deployment('web-1'), kind: 'ReplicaSet' }, d))
  t.equal((await call(app, 'DELETE', '/apis/apps/v1/namespaces/default/deployments/web', { propagationPolicy: 'Foreground' })).status, 200)
  t.equal((await call(app, 'GET', '/apis/apps/v1/namespaces/default/replicasets/web-1')).status, 404)
})

t.test('preconditions', async (t) => {
  const { app } = await newApp(t)
  const p = (await call(app, 'POST', '/api/v1/namespaces/default/pods', pod('p'))).body
  const wrongUid = await call(app, 'DELETE', '/api/v1/namespaces/default/pods/p', { preconditions: { uid: 'nope' } })
  t.equal(wrongUid.status, 409)
  t.match(wrongUid.body.message, /Precondition failed: UID in precondition: nope/)
  t.equal((await call(app, 'DELETE', '/api/v1/namespaces/default/pods/p', { preconditions: { resourceVersion: '1' } })).status, 409)
  t.equal((await call(app, 'DELETE', '/api/v1/namespaces/default/pods/p', { preconditions: { uid: p.metadata.uid, resourceVersion: p.metadata.resourceVersion } })).status, 200)
  t.equal((await call(app, 'DELETE', '/api/v1/namespaces/default/pods/p')).status, 404)
})

t.test('pods: graceful when bound, immediate when unbound or gracePeriodSeconds=0', async (t) => {
  const { app, clock } = await newApp(t)
  await call(app, 'POST', '/api/v1/namespaces/default/pods', pod('bound', { app: 'x' }, { nodeName: 'node-1', terminationGracePeriodSeconds: 10 }))
  const g = await call(app, 'DELETE', '/api/v1/namespaces/default/pods/bound')
  t.equal(g.body.metadata.deletionTimestamp, new Date(clock.now() + 10_000).toISOString().replace('.000Z', 'Z'))
  t.equal(g.body.metadata.deletionGracePeriodSeconds, 10)
  const again = await call(app, 'DELETE', '/api/v1/namespaces/default/pods/bound')
  t.equal(again.body.metadata.resourceVersion, g.body.metadata.resourceVersion, 'a second delete with the same grace changes nothing')
  t.equal((await call(app, 'DELETE', '/api/v1/namespaces/default/pods/bound', { gracePeriodSeconds: 0 })).status, 200)
  t.equal((await call(app, 'GET', '/api/v1/namespaces/default/pods/bound')).status, 404)
  await call(app, 'POST', '/api/v1/namespaces/default/pods', pod('free'))
  await call(app, 'DELETE', '/api/v1/namespaces/default/pods/free')
  t.equal((await call(app, 'GET', '/api/v1/namespaces/default/pods/free')).status, 404, 'no kubelet to wait for')
})

t.test('finalizers hold an object until they are removed', async (t) => {
  const { app } = await newApp(t)
  await call(app, 'POST', '/apis/apps/v1/namespaces/default/deployments', { ...deployment('web'), metadata: { name: 'web', finalizers: ['example.com/hold'] } })
  const del = await call(app, 'DELETE', '/apis/apps/v1/namespaces/default/deployments/web')
  t.ok(del.body.metadata.deletionTimestamp)
  t.equal((await call(app, 'GET', '/apis/apps/v1/namespaces/default/deployments/web')).status, 200)
  await call(app, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/web', { metadata: { finalizers: null } }, { 'content-type': 'application/merge-patch+json' })
  t.equal((await call(app, 'GET', '/apis/apps/v1/namespaces/default/deployments/web')).status, 404)
})

t.test('deleting a namespace deletes its content', async (t) => {
  const { app } = await newApp(t)
  await call(app, 'POST', '/api/v1/namespaces', { metadata: { name: 'team' } })
  await call(app, 'POST', '/api/v1/namespaces/team/pods', pod('p', { app: 'p' }, { nodeName: 'node-1' }))
  await call(app, 'POST', '/apis/apps/v1/namespaces/team/deployments', deployment('d'))
  t.equal((await call(app, 'DELETE', '/api/v1/namespaces/team')).status, 200)
  t.equal((await call(app, 'GET', '/api/v1/namespaces/team/pods/p')).status, 404)
  t.equal((await call(app, 'GET', '/apis/apps/v1/namespaces/team/deployments/d')).status, 404)
  t.equal((await call(app, 'GET', '/api/v1/namespaces/team')).status, 404)
})

t.test('delete collection', async (t) => {
  const { app } = await newApp(t)
  for (const n of ['a', 'b', 'c']) await call(app, 'POST', '/api/v1/namespaces/default/pods', pod(n, { grp: n === 'c' ? 'keep' : 'go' }))
  const res = await call(app, 'DELETE', '/api/v1/namespaces/default/pods?labelSelector=grp%3Dgo', {})
  t.equal(res.status, 200)
  t.equal(res.body.items.length, 2)
  t.same((await call(app, 'GET', '/api/v1/namespaces/default/pods')).body.items.map((p: KubeObject) => p.metadata.name), ['c'])
})
