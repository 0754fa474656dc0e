import t from 'tap'
import { selectorString, toScale } from '../../../src/apiserver/registry/subresources.js'
import { call, deployment, newApp, pod } from '../harness.js'

const merge = { 'content-type': 'application/merge-patch+json' }

t.test('selectorString renders matchLabels and expressions', async (t) => {
  t.equal(selectorString({ matchLabels: { b: '2', a: '1' } }), 'a=1,b=2')
  t.equal(selectorString({ matchExpressions: [{ key: 't', operator: 'In', values: ['y', 'x'] }, { key: 'e', operator: 'Exists' }] }), 'e,t in (x,y)')
  t.equal(selectorString(undefined), '')
})

t.test('toScale', async (t) => {
  const s = toScale({ metadata: { name: 'w', namespace: 'default', resourceVersion: '5' }, spec: { replicas: 3, selector: { matchLabels: { app: 'w' } } }, status: { replicas: 2 } })
  t.same(s, { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'w', namespace: 'default', uid: undefined, resourceVersion: '5', creationTimestamp: undefined }, spec: { replicas: 3 }, status: { replicas: 2, selector: 'app=w' } })
})

t.test('scale: GET, merge PATCH, PUT with resourceVersion check, 422 on negative', async (t) => {
  const { app } = await newApp(t)
  const url = '/apis/apps/v1/namespaces/default/deployments/web/scale'
  await call(app, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web', 3))
  const s = await call(app, 'GET', url)
  t.match(s.body, { kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 }, status: { replicas: 0, selector: 'app=web' } })
  const p = await call(app, 'PATCH', url, { spec: { replicas: 5 } }, merge)
  t.equal(p.status, 200)
  t.equal(p.body.spec.replicas, 5)
  const d = await call(app, 'GET', '/apis/apps/v1/namespaces/default/deployments/web')
  t.equal(d.body.spec.replicas, 5)
  t.equal(d.body.metadata.generation, 2)
  const stale = await call(app, 'PUT', url, { ...s.body, spec: { replicas: 7 } })
  t.equal(stale.status, 409, 'the Scale carried an old resourceVersion')
  const ok = await call(app, 'PUT', url, { ...p.body, spec: { replicas: 7 } })
  t.equal(ok.status, 200)
  t.equal(ok.body.spec.replicas, 7)
  const neg = await call(app, 'PATCH', url, { spec: { replicas: -1 } }, merge)
  t.equal(neg.status, 422)
  t.match(neg.body, { details: { kind: 'Scale', causes: [{ field: 'spec.replicas', message: 'Invalid value: -1: must be greater than or equal to 0' }] } })
  t.equal((await call(app, 'GET', '/apis/apps/v1/namespaces/default/daemonsets/x/scale')).status, 404, 'DaemonSets have no scale')
  t.equal((await call(app, 'GET', '/apis/apps/v1/namespaces/default/deployments/nope/scale')).status, 404)
})

t.test('binding sets nodeName once', async (t) => {
  const { app } = await newApp(t)
  await call(app, 'POST', '/api/v1/namespaces/default/pods', pod('p'))
  const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } }
  const b = await call(app, 'POST', '/api/v1/namespaces/default/pods/p/binding', binding)
  t.equal(b.status, 201)
  t.equal(b.body.status, 'Success')
  const got = (await call(app, 'GET', '/api/v1/namespaces/default/pods/p')).body
  t.equal(got.spec.nodeName, 'node-1')
  t.match(got.status.conditions, [{ type: 'PodScheduled', status: 'True' }])
  const again = await call(app, 'POST', '/api/v1/namespaces/default/pods/p/binding', { ...binding, target: { kind: 'Node', name: 'node-2' } })
  t.equal(again.status, 409)
  t.match(again.body.message, /already assigned to node "node-1"/)
  t.equal((await call(app, 'POST', '/api/v1/namespaces/default/pods/p/binding', { target: {} })).status, 422)
})

t.test('pods/log: 404 for a missing pod, 400 without a kubelet, the hook when there is one', async (t) => {
  const { app } = await newApp(t, { podLogs: async (p, q) => `logs of ${p.metadata.name} ${q.container ?? ''} tail=${q.tailLines}\n` })
  t.equal((await call(app, 'GET', '/api/v1/namespaces/default/pods/nope/log')).status, 404)
  await call(app, 'POST', '/api/v1/namespaces/default/pods', pod('p'))
  const none = await call(app, 'GET', '/api/v1/namespaces/default/pods/p/log?container=main')
  t.equal(none.status, 400)
  t.match(none.body.message, 'pod "p" has no running container')
  await call(app, 'PATCH', '/api/v1/namespaces/default/pods/p/status', { status: { hostIP: '192.168.56.11' } }, merge)
  const logs = await call(app, 'GET', '/api/v1/namespaces/default/pods/p/log?container=main&tailLines=5')
  t.equal(logs.status, 200)
  t.equal(logs.text, 'logs of p main tail=5\n')
  t.match(String(logs.headers['content-type']), /^text\/plain/)
})
