import t from 'tap'
import { appsV1Routes } from '../../../src/apiserver/routes/apps-v1.js'
import { call, newApp } from '../harness.js'

t.test('the plugin serves its group/version paths through the app', async (t) => {
  t.type(appsV1Routes, 'function')
  const { app } = await newApp(t)
  const list = await call(app, 'GET', '/apis/apps/v1/namespaces/default/deployments')
  t.equal(list.status, 200)
  t.match(list.body.kind, /List$/)
  t.equal((await call(app, 'GET', '/apis/apps/v1/namespaces/default/nope')).status, 404)
})
