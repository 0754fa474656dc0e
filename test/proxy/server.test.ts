import { once } from 'node:events'
import t from 'tap'
import { RESOURCES } from '../../src/api/registry.js'
import type { Event } from '../../src/api/types.js'
import { realClock } from '../../src/base/clock.js'
import { seededRng } from '../../src/base/rng.js'
import { RestClient } from '../../src/client/rest-client.js'
import { parseProxyOptions } from '../../src/proxy/options.js'
import { createProxier, ProxyServer } from '../../src/proxy/server.js'
import { startKplabApiServer } from '../support/kplab-apiserver.js'
import { service, slicesFor, tcpAsk, tcpBackend } from './userspace/fixtures.js'

const res = (plural: string) => RESOURCES.find((r) => r.plural === plural)!

t.test('an unknown algorithm is reported as an Event on the Service and the default is used', async (t) => {
  const { url } = await startKplabApiServer(t)
  const client = new RestClient({ server: url, insecureSkipTLSVerify: false, namespace: 'default', contextName: 't' })
  t.teardown(() => client.close())
  const backend = await tcpBackend(t, 'a')
  const svc = service({ annotations: { 'kplab.io/lb-algorithm': 'bogus-algo' } })
  delete (svc.spec as { clusterIP?: string }).clusterIP
  await client.create(res('services'), svc)
  await client.create(res('endpointslices'), slicesFor('web', [backend])[0]!)
  const opts = parseProxyOptions({ metricsBindAddress: '127.0.0.1:0', lbAlgorithm: 'least-connection' })
  const server = new ProxyServer(opts, { client, clock: realClock, rng: seededRng(1) })
  const ac = new AbortController()
  const eventSeen = once(server, 'event')
  const running = server.start(ac.signal)
  t.teardown(async () => {
    ac.abort()
    await running
  })
  const [ev] = (await eventSeen) as [Event]
  t.equal(ev.reason, 'UnknownLBAlgorithm')
  const events = await client.list<Event>(res('events'), { namespace: 'default' })
  const mine = events.items.find((e) => e.involvedObject.kind === 'Service' && e.involvedObject.name === 'web')
  t.ok(mine, 'the Event is stored against the Service')
  t.equal(mine?.type, 'Warning')
  t.match(mine?.message, /bogus-algo/)
  t.match(mine?.message, /using least-connection/)
  // The listener exists with the default algorithm and reaches the endpoint.
  type Row = { servicePort: string; proxyPort: number; algorithm: string; endpoints: number }
  // The API server's own default/kubernetes Service is listed too: look for ours.
  const web = async (): Promise<Row | undefined> => ((await (await fetch(`${server.metricsUrl}/ports`)).json()) as Row[]).find((p) => p.servicePort === 'default/web:p')
  let row = await web()
  while (row?.endpoints !== 1) {
    await once(server, 'synced')
    row = await web()
  }
  t.equal(row.algorithm, 'least-connection')
  t.equal(await tcpAsk(row.proxyPort), 'a')
  const stats = (await (await fetch(`${server.metricsUrl}/stats`)).json()) as { servicePorts: { servicePort: string; endpoints: { endpoint: string; connections: number }[] }[] }
  const st = stats.servicePorts.find((p) => p.servicePort === 'default/web:p')!
  t.equal(st.endpoints[0]!.endpoint, backend.id)
  t.equal(st.endpoints[0]!.connections, 1)
  const metrics = await (await fetch(`${server.metricsUrl}/metrics`)).text()
  t.match(metrics, /kplab_proxy_endpoint_connections_total\{service_port="default\/web:p",protocol="tcp",algorithm="least-connection",endpoint="127\.0\.0\.1:\d+"\} 1/)
})

t.test('createProxier builds the userspace proxier with the stats documents', async (t) => {
  const opts = parseProxyOptions({})
  const p = createProxier('userspace', opts, { client: {} as RestClient, clock: realClock, rng: seededRng(1) }, () => {})
  t.teardown(() => p.close())
  await p.sync(new Map(), () => [])
  t.same(p.stats(), { servicePorts: [] })
  t.same(p.ports(), [])
  t.match(p.prometheus(), /# TYPE kplab_proxy_endpoint_active gauge/)
})

t.test('a Service labelled with service-proxy-name goes to the proxy of that name only', async (t) => {
  const { url } = await startKplabApiServer(t)
  const client = new RestClient({ server: url, insecureSkipTLSVerify: false, namespace: 'default', contextName: 't' })
  t.teardown(() => client.close())
  const backend = await tcpBackend(t, 'a')
  for (const [name, labels] of [['plain', {}], ['claimed', { 'service.kubernetes.io/service-proxy-name': 'kplab-userspace' }]] as const) {
    const svc = service({ name })
    svc.metadata.labels = { ...labels }
    delete (svc.spec as { clusterIP?: string }).clusterIP
    await client.create(res('services'), svc)
    const slice = slicesFor(name, [backend])[0]!
    slice.metadata.labels = { ...slice.metadata.labels, ...labels }
    await client.create(res('endpointslices'), slice)
  }
  type Row = { servicePort: string; endpoints: number }
  const ports = async (named: string | undefined): Promise<string[]> => {
    const opts = parseProxyOptions({ metricsBindAddress: '127.0.0.1:0', serviceProxyName: named })
    const server = new ProxyServer(opts, { client, clock: realClock, rng: seededRng(1) })
    const ac = new AbortController()
    const started = once(server, 'started')
    const running = server.start(ac.signal)
    await started
    // The informers' first full sync is the state this proxy will ever see of these objects.
    let rows: Row[] = []
    while (!rows.some((r) => r.endpoints === 1)) {
      await once(server, 'synced')
      rows = (await (await fetch(`${server.metricsUrl}/ports`)).json()) as Row[]
    }
    ac.abort()
    await running
    return rows.map((r) => r.servicePort).filter((p) => p !== 'default/kubernetes:https').sort()
  }
  t.same(await ports(undefined), ['default/plain:p'], 'kube-proxy ignores Services claimed by another proxy')
  t.same(await ports('kplab-userspace'), ['default/claimed:p'], 'the named proxy handles only its own')
})
