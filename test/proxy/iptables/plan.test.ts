import t from 'tap'
import type { EndpointSlice, Service } from '../../../src/api/types.js'
import { parseRuleset } from '../../../src/proxy/iptables/parse.js'
import { chainsAfterRestore, changedServices, FULL_SYNC_PERIOD_MS, needsFullSync, staleServiceChains } from '../../../src/proxy/iptables/plan.js'

const svc = (name: string, ip: string, extra: Partial<Service['metadata']> = {}): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'ns', name, ...extra }, spec: { clusterIP: ip, ports: [{ name: 'p', port: 80 }] } })
const slice = (svcName: string, ips: string[], rv = '1'): EndpointSlice => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { namespace: 'ns', name: `${svcName}-x`, resourceVersion: rv, labels: { 'kubernetes.io/service-name': svcName } },
  addressType: 'IPv4',
  ports: [{ name: 'p', port: 8080 }],
  endpoints: ips.map((ip) => ({ addresses: [ip] })),
})

t.test('changedServices sees added, removed and modified Services and slices, not no-ops', async (t) => {
  const base = { services: [svc('a', '10.96.0.1'), svc('b', '10.96.0.2')], endpointSlices: [slice('a', ['10.0.0.1']), slice('b', ['10.0.0.2'])] }
  t.same([...changedServices(base, base)], [])
  const relabel = { ...base, services: [svc('a', '10.96.0.1', { labels: { x: 'y' }, resourceVersion: '9' }), svc('b', '10.96.0.2')], endpointSlices: [slice('a', ['10.0.0.1'], '7'), slice('b', ['10.0.0.2'])] }
  t.same([...changedServices(base, relabel)], [], 'labels and resourceVersions do not reach the rules')
  const next = { services: [svc('a', '10.96.0.9'), svc('c', '10.96.0.3')], endpointSlices: [slice('a', ['10.0.0.1']), slice('b', ['10.0.0.3'])] }
  t.same([...changedServices(base, next)].sort(), ['ns/a', 'ns/b', 'ns/c'])
})

t.test('full sync: on demand, hourly, not hourly in large-cluster mode', async (t) => {
  t.equal(needsFullSync({ needFullSync: true, sinceLastFullSyncMs: 0 }), true)
  t.equal(needsFullSync({ needFullSync: false, sinceLastFullSyncMs: 1000 }), false)
  t.equal(needsFullSync({ needFullSync: false, sinceLastFullSyncMs: FULL_SYNC_PERIOD_MS + 1 }), true)
  t.equal(needsFullSync({ needFullSync: false, sinceLastFullSyncMs: FULL_SYNC_PERIOD_MS + 1, largeClusterMode: true }), false)
})

t.test('chainsAfterRestore models --noflush: chain lines create, -X deletes', async (t) => {
  const payload = parseRuleset('*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-SVC-NEW - [0:0]\n:KUBE-SEP-OLD - [0:0]\n-X KUBE-SEP-OLD\nCOMMIT\n')
  t.same([...chainsAfterRestore(['KUBE-SERVICES', 'KUBE-SEP-OLD', 'KUBE-SVC-KEEP'], payload)].sort(), ['KUBE-SERVICES', 'KUBE-SVC-KEEP', 'KUBE-SVC-NEW'])
  t.same([...chainsAfterRestore(['A'], payload, 'filter')], ['A'], 'no such table: unchanged')
})

t.test('staleServiceChains: only kube-proxy per-service chains not active', async (t) => {
  t.same(staleServiceChains(['KUBE-SVC-B', 'KUBE-SEP-A', 'KUBE-SERVICES', 'DOCKER', 'KUBE-SVC-ACTIVE'], new Set(['KUBE-SVC-ACTIVE'])), ['KUBE-SEP-A', 'KUBE-SVC-B'])
})
