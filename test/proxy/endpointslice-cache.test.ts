import t from 'tap'
import type { EndpointSlice } from '../../src/api/types.js'
import { EndpointSliceCache } from '../../src/proxy/endpointslice-cache.js'

const slice = (name: string, eps: EndpointSlice['endpoints']): EndpointSlice => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4',
  endpoints: eps,
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
})

t.test('endpoints per service port with readiness, node and zone; changes checked out per Service', async (t) => {
  const cache = new EndpointSliceCache('node-1')
  const s1 = slice('web-1', [{ addresses: ['10.244.1.2'], nodeName: 'node-1', zone: 'z1' }])
  const s2 = slice('web-2', [{ addresses: ['10.244.2.2'], nodeName: 'node-2', zone: 'z2', conditions: { ready: false, serving: true, terminating: true } }])
  t.ok(cache.updatePending(s1, false))
  t.ok(cache.updatePending(s2, false))
  t.notOk(cache.updatePending({ ...s1, metadata: { name: 'x', namespace: 'default' } }, false), 'a slice of no Service is ignored')
  t.same([...cache.checkoutChanges()], ['default/web'])
  t.notOk(cache.pending)
  const eps = cache.endpointsForService('default/web').get('default/web:http')!
  t.same(
    eps.map((e) => [e.endpoint, e.isLocal, e.ready, e.terminating, e.zone]),
    [
      ['10.244.1.2:8080', true, true, false, 'z1'],
      ['10.244.2.2:8080', false, false, true, 'z2'],
    ],
  )
  cache.updatePending(s2, true)
  t.equal(cache.endpointsForService('default/web').get('default/web:http')!.length, 1)
  t.equal(cache.allSlices().length, 1)
})
