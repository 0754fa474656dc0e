import { once } from 'node:events'
import t, { type Test } from 'tap'
import { RESOURCES } from '../../../src/api/registry.js'
import type { EndpointSlice, Service } from '../../../src/api/types.js'
import { buildApiServer } from '../../../src/apiserver/app.js'
import { FakeClock } from '../../../src/base/clock.js'
import { seededRng } from '../../../src/base/rng.js'
import { RestClient } from '../../../src/client/rest-client.js'
import { FakeIptables } from '../../../src/proxy/iptables/fake-iptables.js'
import type { IptablesModeProxier } from '../../../src/proxy/iptables/mode.js'
import { CANARY_CHAIN, chainNamesOf, IptablesProxier, type SyncOutcome } from '../../../src/proxy/iptables/proxier.js'
import { servicePortsOf } from '../../../src/proxy/iptables/service-port.js'
import { parseProxyOptions } from '../../../src/proxy/options.js'
import { ProxyServer } from '../../../src/proxy/server.js'
import { EmbeddedStore } from '../../../src/storage/embedded/store.js'

const res = (plural: string) => RESOURCES.find((r) => r.plural === plural)!
const SERVICES = res('services')
const SLICES = res('endpointslices')

function svc(name: string, clusterIP: string): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { type: 'ClusterIP', clusterIP, ports: [{ name: 'p', port: 80, protocol: 'TCP', targetPort: 8080 }] },
  } as Service
}

function slice(svcName: string, ips: string[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${svcName}-1`, namespace: 'default', labels: { 'kubernetes.io/service-name': svcName } },
    addressType: 'IPv4',
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node-1' })),
    ports: [{ name: 'p', port: 8080, protocol: 'TCP' }],
  } as EndpointSlice
}

/** The cluster-policy chain (KUBE-SVC-…) of a Service's only port, named by the generator's hashing. */
const svcChain = (s: Service): string => servicePortsOf(s)[0]!.clusterPolicyChainName

/** An in-process API server whose outage a test can cause. */
async function apiServer(t: Test): Promise<{ client: RestClient; stop: () => Promise<void>; url: string }> {
  const clock = new FakeClock()
  const store = new EmbeddedStore({ clock })
  await store.open()
  const app = await buildApiServer({ store, clock })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  let stopped = false
  const stop = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    await app.close()
    await store.close()
  }
  t.teardown(stop)
  const client = new RestClient({ server: url, insecureSkipTLSVerify: false, namespace: 'default', contextName: 't' })
  t.teardown(() => client.close())
  return { client, stop, url }
}

/** The daemon in iptables mode over a FakeIptables, on a FakeClock; stopped at teardown. */
function startProxy(t: Test, client: RestClient, fake: FakeIptables, clock: FakeClock): { server: ProxyServer; proxier: IptablesProxier } {
  const opts = parseProxyOptions({ mode: 'iptables', metricsBindAddress: '127.0.0.1:0', hostnameOverride: 'node-1' })
  const server = new ProxyServer(opts, { client, clock, rng: seededRng(1), iptables: fake })
  const proxier = (server.proxier as unknown as IptablesModeProxier).proxier
  const ac = new AbortController()
  const running = server.start(ac.signal)
  t.teardown(async () => {
    ac.abort()
    await running
  })
  return { server, proxier }
}

/** Waits for the next sync after an API write whose effect the proxier sees, releasing the rate limit. */
async function nextSync(proxier: IptablesProxier, clock: FakeClock, write: () => Promise<unknown>): Promise<SyncOutcome> {
  const changed = once(proxier, 'stateChanged')
  const synced = once(proxier, 'synced')
  await write()
  await changed
  clock.advance(1000)
  return ((await synced) as [SyncOutcome])[0]
}

const restores = (fake: FakeIptables): string[] => fake.calls.filter((c) => c.op === 'restore').map((c) => c.payload!)

t.test('full sync at start, then partial syncs of changed Services only, stale chains deleted', async (t) => {
  const { client } = await apiServer(t)
  const web = svc('web', '10.96.0.50')
  const db = svc('db', '10.96.0.60')
  await client.create(SERVICES, web)
  await client.create(SERVICES, db)
  await client.create(SLICES, slice('web', ['10.244.1.2', '10.244.1.3']))
  await client.create(SLICES, slice('db', ['10.244.1.9']))
  const fake = new FakeIptables()
  const clock = new FakeClock()
  const { proxier, server } = startProxy(t, client, fake, clock)
  // Listening right after construction is early enough: the first sync needs two HTTP lists.
  const [first] = (await once(proxier, 'synced')) as [SyncOutcome]
  t.equal(first.full, true, 'the first sync is full')
  t.same(first.changedServices.filter((k) => k !== 'default/kubernetes'), ['default/db', 'default/web'], 'every Service (the API server adds default/kubernetes)')
  t.equal(restores(fake).length, 1, 'one restore')
  const nat = fake.chains('nat')
  t.ok(nat.includes(svcChain(web)) && nat.includes(svcChain(db)), 'both services programmed')
  t.ok(fake.rules('nat', 'PREROUTING').some((r) => r.includes('KUBE-SERVICES')), 'jump rules ensured on the full sync')
  for (const table of ['mangle', 'nat', 'filter'] as const) t.ok(fake.chains(table).includes(CANARY_CHAIN), `canary in ${table}`)

  // One endpoint added to web: a partial sync rewrites web's chains, not db's.
  const webSlice = await client.get<EndpointSlice>(SLICES, 'default', 'web-1')
  webSlice.endpoints = [...webSlice.endpoints!, { addresses: ['10.244.1.4'], conditions: { ready: true }, nodeName: 'node-1' }]
  const jumpCallsBefore = fake.calls.filter((c) => c.op === 'ensureRule').length
  const second = await nextSync(proxier, clock, () => client.update(SLICES, webSlice))
  t.equal(second.full, false, 'partial sync')
  t.same(second.changedServices, ['default/web'])
  const payload = restores(fake).at(-1)!
  t.equal(payload, second.payload, 'the fake received the payload the proxier reports')
  t.match(payload, new RegExp(`^:${svcChain(web)} - \\[0:0\\]$`, 'm'), "web's SVC chain is rewritten")
  t.notMatch(payload, new RegExp(`^:${svcChain(db)} `, 'm'), "db's SVC chain is not in the payload")
  t.match(payload, /^:KUBE-SERVICES - \[0:0\]$/m, 'top-level chains are rewritten on partial syncs')
  t.equal(fake.rules('nat', svcChain(web)).filter((r) => r.includes('KUBE-MARK-MASQ') === false).length, 3, 'web now balances over 3 endpoints')
  t.ok(fake.chains('nat').includes(svcChain(db)), "db's chains are kept")
  t.equal(fake.calls.filter((c) => c.op === 'ensureRule').length, jumpCallsBefore, 'no jump-rule checks on a partial sync')

  // Remove an endpoint: its KUBE-SEP chain is flushed and deleted (-X) in the same payload.
  const sepsBefore = fake.chains('nat').filter((c) => c.startsWith('KUBE-SEP-'))
  webSlice.endpoints = webSlice.endpoints!.filter((e) => e.addresses[0] !== '10.244.1.2')
  const cur = await client.get<EndpointSlice>(SLICES, 'default', 'web-1')
  webSlice.metadata.resourceVersion = cur.metadata.resourceVersion
  const third = await nextSync(proxier, clock, () => client.update(SLICES, webSlice))
  t.equal(third.staleChains.length, 1, 'one stale chain')
  t.match(third.payload, new RegExp(`^-X ${third.staleChains[0]}$`, 'm'))
  const sepsAfter = fake.chains('nat').filter((c) => c.startsWith('KUBE-SEP-'))
  t.same(sepsBefore.filter((c) => !sepsAfter.includes(c)), third.staleChains, 'exactly that chain is gone from the kernel')

  // Delete db: all its chains go.
  const fourth = await nextSync(proxier, clock, () => client.delete(SERVICES, 'default', 'db'))
  t.ok(fourth.staleChains.includes(svcChain(db)))
  t.notOk(fake.chains('nat').includes(svcChain(db)), "db's SVC chain deleted")
  t.ok(fake.chains('nat').includes(svcChain(web)), "web's SVC chain kept")

  const metrics = await (await fetch(`${server.metricsUrl}/metrics`)).text()
  t.match(metrics, /^kubeproxy_sync_full_proxy_rules_duration_seconds_count 1$/m)
  t.match(metrics, /^kubeproxy_sync_partial_proxy_rules_duration_seconds_count 3$/m)
  t.match(metrics, /^kubeproxy_sync_proxy_rules_iptables_total\{table="nat"\} \d+$/m)
  t.equal((await fetch(`${server.metricsUrl}/healthz`)).status, 200)
})

t.test('canary loss and a failed restore each lead to a full sync', async (t) => {
  const { client } = await apiServer(t)
  const web = svc('web', '10.96.0.50')
  await client.create(SERVICES, web)
  await client.create(SLICES, slice('web', ['10.244.1.2']))
  const fake = new FakeIptables()
  const clock = new FakeClock()
  const { proxier, server } = startProxy(t, client, fake, clock)
  const [first] = (await once(proxier, 'synced')) as [SyncOutcome]
  t.equal(first.full, true)

  // Someone flushes the tables: the canary monitor (every sync period, 30 s) notices.
  await fake.flushChain('mangle', CANARY_CHAIN)
  await fake.deleteChain('mangle', CANARY_CHAIN)
  const lost = once(proxier, 'canaryLost')
  const afterCanary = once(proxier, 'synced')
  clock.advance(30_000)
  await lost
  const [resync] = (await afterCanary) as [SyncOutcome]
  t.equal(resync.full, true, 'canary loss → full sync')
  t.ok(fake.chains('mangle').includes(CANARY_CHAIN), 'the canary is re-created')

  // A failing restore on a partial sync: logged, counted, retried as a full sync after 30 s.
  fake.failNextRestore('iptables-restore: line 3 failed')
  const failed = once(proxier, 'syncFailed')
  const cur = await client.get<EndpointSlice>(SLICES, 'default', 'web-1')
  cur.endpoints = [...cur.endpoints!, { addresses: ['10.244.1.3'], conditions: { ready: true }, nodeName: 'node-1' }]
  const changed = once(proxier, 'stateChanged')
  await client.update(SLICES, cur)
  await changed
  clock.advance(1000)
  const [err, wasFull] = (await failed) as [Error & { line?: number; context?: unknown[] }, boolean]
  t.equal(wasFull, false, 'the failing sync was partial')
  t.equal(err.line, 3, 'the failing line is reported')
  t.ok((err.context ?? []).length > 0, 'with its neighbours')
  const retry = once(proxier, 'synced')
  clock.advance(30_000)
  const [again] = (await retry) as [SyncOutcome]
  t.equal(again.full, true, 'retried with a full sync')
  t.equal(fake.rules('nat', svcChain(web)).filter((r) => r.some((a) => a.startsWith('KUBE-SEP-'))).length, 2, 'the change made it in')
  const metrics = await (await fetch(`${server.metricsUrl}/metrics`)).text()
  t.match(metrics, /^kubeproxy_sync_proxy_rules_iptables_restore_failures_total 1$/m)
  t.match(metrics, /^kubeproxy_sync_proxy_rules_iptables_partial_restore_failures_total 1$/m)
})

t.test('no sync before both informers have synced', async (t) => {
  const fake = new FakeIptables()
  const clock = new FakeClock()
  const proxier = new IptablesProxier({ iptables: fake, clock, generator: { hostname: 'node-1' } })
  const web = svc('web', '10.96.0.50')
  await proxier.start()
  t.teardown(() => proxier.stop())
  proxier.setState(servicePortsOf(web), () => [])
  const skipped = once(proxier, 'notInitialized')
  await proxier.syncProxyRules()
  await skipped
  t.equal(restores(fake).length, 0, 'nothing restored before the informers synced')
  const synced = once(proxier, 'synced')
  proxier.setInitialized()
  const [o] = (await synced) as [SyncOutcome]
  t.equal(o.full, true)
  t.equal(restores(fake).length, 1)
})

t.test('rules are kept while the API server is down and across a proxy restart', async (t) => {
  const api = await apiServer(t)
  const web = svc('web', '10.96.0.50')
  await api.client.create(SERVICES, web)
  await api.client.create(SLICES, slice('web', ['10.244.1.2', '10.244.1.3']))
  const fake = new FakeIptables()
  const clock = new FakeClock()
  const { proxier } = startProxy(t, api.client, fake, clock)
  await once(proxier, 'synced')
  const natBefore = await fake.save('nat')
  t.ok(chainNamesOf(natBefore).includes(svcChain(web)))
  await api.stop()
  // The hourly full sync runs on the cached state: same rules.
  const hourly = once(proxier, 'synced')
  clock.advance(60 * 60 * 1000 + 1000)
  const [o] = (await hourly) as [SyncOutcome]
  t.equal(o.full, true)
  t.equal(await fake.save('nat'), natBefore, 'same nat table while the API server is unreachable')

  // A second proxy process starts with no API server: it never writes.
  const client2 = new RestClient({ server: api.url, insecureSkipTLSVerify: false, namespace: 'default', contextName: 't' })
  t.teardown(() => client2.close())
  const clock2 = new FakeClock()
  const callsBefore = restores(fake).length
  const { proxier: p2, server: s2 } = startProxy(t, client2, fake, clock2)
  await once(s2, 'started')
  const skipped = once(p2, 'notInitialized')
  await p2.syncProxyRules()
  await skipped
  clock2.advance(60_000)
  t.equal(restores(fake).length, callsBefore, 'no restore from the restarted proxy')
  t.equal(await fake.save('nat'), natBefore, 'rules untouched')
})
