import t from 'tap'
import { discoveryV1Routes } from '../../../src/apiserver/routes/discovery-v1.js'
import { call, newApp } from '../harness.js'

t.test('the plugin serves its group/version paths through the app', async (t) => {
  t.type(discoveryV1Routes, 'function')
  const { app } = await newApp(t)
  const list = await call(app, 'GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices')
  t.equal(list.status, 200)
  t.match(list.body.kind, /List$/)
  t.equal((await call(app, 'GET', '/apis/discovery.k8s.io/v1/namespaces/default/nope')).status, 404)
})
