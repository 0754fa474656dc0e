import { once } from 'node:events'
import t from 'tap'
import type { Service } from '../../../src/api/types.js'
import { FakeClock } from '../../../src/base/clock.js'
import { FakeIptables } from '../../../src/proxy/iptables/fake-iptables.js'
import type { EndpointInfo } from '../../../src/proxy/iptables/endpoints.js'
import { createIptablesModeProxier, IptablesUnavailableError } from '../../../src/proxy/iptables/mode.js'
import { servicePortsOf } from '../../../src/proxy/iptables/service-port.js'

const web = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: { type: 'ClusterIP', clusterIP: '10.96.0.50', ports: [{ name: 'p', port: 80, protocol: 'TCP' }] },
} as Service
const ports = new Map(servicePortsOf(web).map((p) => [p.nameString, p]))
const endpointsOf = (): EndpointInfo[] => [{ ip: '10.244.1.2', port: 8080, endpoint: '10.244.1.2:8080', isLocal: true, ready: true, serving: true, terminating: false, nodeName: 'node-1' }]

t.test('refuses to run without an iptables port', async (t) => {
  t.throws(() => createIptablesModeProxier({ clock: new FakeClock() }), IptablesUnavailableError)
})

t.test('writes nothing until the daemon reports its informers synced, then syncs the state it hands over', async (t) => {
  const fake = new FakeIptables()
  const mode = createIptablesModeProxier({ clock: new FakeClock(), iptables: fake, generator: { hostname: 'node-1' } })
  t.teardown(() => mode.close())
  await mode.sync(ports, endpointsOf)
  t.equal(fake.calls.filter((c) => c.op === 'restore').length, 0, 'no restore before informersSynced')
  t.equal(mode.prometheus(), '', 'no metrics before the first sync')
  mode.informersSynced()
  const synced = once(mode.proxier, 'synced')
  await mode.sync(ports, endpointsOf)
  await synced
  t.equal(fake.calls.filter((c) => c.op === 'restore').length, 1)
  t.ok(fake.chains('nat').includes(servicePortsOf(web)[0]!.clusterPolicyChainName))
  t.match(mode.prometheus(), /^kubeproxy_sync_full_proxy_rules_duration_seconds_count 1$/m)
  t.same(mode.stats(), { mode: 'iptables', servicePorts: 1, initialized: true })
  t.same(mode.ports(), [])
})
