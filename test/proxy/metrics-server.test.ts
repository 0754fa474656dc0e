import t from 'tap'
import { startMetricsServer } from '../../src/proxy/metrics-server.js'

t.test('serves /metrics, /stats, /ports and /healthz', async (t) => {
  const { server, url } = await startMetricsServer('127.0.0.1', 0, { prometheus: () => 'm 1\n', stats: () => ({ s: 1 }), ports: () => [{ p: 2 }] })
  t.teardown(() => server.close())
  const m = await fetch(`${url}/metrics`)
  t.match(m.headers.get('content-type'), /version=0\.0\.4/)
  t.equal(await m.text(), 'm 1\n')
  t.same(await (await fetch(`${url}/stats`)).json(), { s: 1 })
  t.same(await (await fetch(`${url}/ports`)).json(), [{ p: 2 }])
  t.equal((await fetch(`${url}/healthz`)).status, 200)
  t.equal((await fetch(`${url}/nope`)).status, 404)
})
