import t from 'tap'
import { coordinationV1Routes } from '../../../src/apiserver/routes/coordination-v1.js'
import { call, newApp } from '../harness.js'

t.test('the plugin serves its group/version paths through the app', async (t) => {
  t.type(coordinationV1Routes, 'function')
  const { app } = await newApp(t)
  const list = await call(app, 'GET', '/apis/coordination.k8s.io/v1/namespaces/default/leases')
  t.equal(list.status, 200)
  t.match(list.body.kind, /List$/)
  t.equal((await call(app, 'GET', '/apis/coordination.k8s.io/v1/namespaces/default/nope')).status, 404)
})
