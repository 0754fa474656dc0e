import t from 'tap'
import Fastify from 'fastify'
import { discoveryRoutes } from '../../../src/apiserver/routes/discovery.js'

t.test('readyz follows readiness; legacy /api reports the server address', async (t) => {
  let ready = false
  const app = Fastify()
  await app.register(discoveryRoutes, { serverAddress: () => '192.168.56.10:6443', ready: () => ready })
  t.teardown(() => app.close())
  t.equal((await app.inject('/readyz')).statusCode, 500)
  ready = true
  t.equal((await app.inject('/readyz')).statusCode, 200)
  t.equal((await app.inject('/livez')).body, 'ok')
  const api = JSON.parse((await app.inject('/api')).body)
  t.match(api, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ serverAddress: '192.168.56.10:6443' }] })
  for (const gv of ['/api/v1', '/apis/apps/v1', '/apis/discovery.k8s.io/v1', '/apis/coordination.k8s.io/v1']) {
    t.equal(JSON.parse((await app.inject(gv)).body).kind, 'APIResourceList', gv)
  }
  t.equal((await app.inject('/openapi/v3/apis/nope/v1')).statusCode, 404)
  const gvDoc = JSON.parse((await app.inject('/openapi/v3/apis/apps/v1')).body)
  t.ok(gvDoc.paths, 'a group-version OpenAPI document')
})
