import t from 'tap'
import { proxyServicePorts } from '../../../src/proxy/service-change-tracker.js'
import { endpointSpecs, listenerKind } from '../../../src/proxy/userspace/proxier.js'
import { harness, service, slicesFor, tcpAsk, tcpBackend } from './fixtures.js'

t.test('listener kind follows protocol and appProtocol', async (t) => {
  const kind = (s: Parameters<typeof service>[0]) => listenerKind(proxyServicePorts(service(s))[0]!)
  t.equal(kind({}), 'tcp')
  t.equal(kind({ appProtocol: 'http' }), 'http')
  t.equal(kind({ appProtocol: 'HTTP' }), 'http')
  t.equal(kind({ protocol: 'UDP' }), 'udp')
})

t.test('terminating endpoints only finish their connections unless nothing is ready', async (t) => {
  const port = proxyServicePorts(service())[0]!
  const ep = (endpoint: string, ready: boolean) => ({ ip: endpoint.split(':')[0]!, port: 80, endpoint, isLocal: false, ready, serving: true, terminating: !ready, nodeName: undefined, zone: undefined })
  t.same(endpointSpecs(port, [ep('10.0.0.1:80', true), ep('10.0.0.2:80', false)]), [{ id: '10.0.0.1:80', ready: true }, { id: '10.0.0.2:80', ready: false }])
  t.same(endpointSpecs(port, [ep('10.0.0.2:80', false)]), [{ id: '10.0.0.2:80', ready: true }], 'serving-terminating fallback, as upstream')
})

t.test('sync: annotation change rebuilds the balancer on the same listener; removal closes it; warnings reported once', async (t) => {
  const a = await tcpBackend(t, 'a')
  const h = harness(t)
  await h.apply(service(), slicesFor('web', [a]))
  const port = h.port()
  t.equal(h.proxier.ports()[0]!.algorithm, 'round-robin')
  await h.apply(service({ annotations: { 'kplab.io/lb-algorithm': 'least-time' } }), [])
  t.equal(h.port(), port, 'same listener')
  t.equal(h.proxier.ports()[0]!.algorithm, 'least-time')
  t.equal(await tcpAsk(port), 'a')
  const row = h.proxier.ports()[0]!
  t.same([row.servicePort, row.kind, row.clusterIP, row.port, row.endpoints, row.listenAddress], ['default/web:p', 'tcp', '10.96.0.50', 80, 1, '127.0.0.1'])
  await h.apply(service({ appProtocol: 'http', annotations: { 'kplab.io/lb-algorithm': 'least-time' } }), [])
  t.equal(h.proxier.ports()[0]!.kind, 'http', 'an appProtocol change swaps the listener kind')
})
