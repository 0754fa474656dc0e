import t from 'tap'
import type { Service } from '../../src/api/types.js'
import { proxyServicePorts, ServiceChangeTracker, type ServicePortMap } from '../../src/proxy/service-change-tracker.js'
import { service } from './userspace/fixtures.js'

t.test('service ports carry appProtocol, annotations and affinity', async (t) => {
  const [p] = proxyServicePorts(service({ appProtocol: 'http', sessionAffinity: 'ClientIP', annotations: { 'kplab.io/lb-algorithm': 'p2c', 'kplab.io/lb-params': '{}' } }))
  t.same([p!.nameString, p!.appProtocol, p!.lbAlgorithm, p!.lbParams, p!.sessionAffinityClientIP, p!.stickyMaxAgeSeconds, p!.clusterIP, p!.port], ['default/web:p', 'http', 'p2c', '{}', true, 10800, '10.96.0.50', 80])
  const headless = service()
  headless.spec.clusterIP = 'None'
  t.same(proxyServicePorts(headless), [], 'headless Services are skipped')
})

t.test('pending changes: add, no-op drop, update, delete', async (t) => {
  const sct = new ServiceChangeTracker()
  const map: ServicePortMap = new Map()
  const a = service()
  t.ok(sct.update(undefined, a))
  t.same([...sct.applyTo(map).updatedServices], ['default/web'])
  t.same([...map.keys()], ['default/web:p'])
  const b: Service = { ...a, metadata: { ...a.metadata, resourceVersion: '2' } }
  t.notOk(sct.update(a, b), 'a change that changes no port is dropped')
  const c = service({ annotations: { 'kplab.io/lb-algorithm': 'random' } })
  t.ok(sct.update(b, c))
  sct.applyTo(map)
  t.equal(map.get('default/web:p')!.lbAlgorithm, 'random')
  sct.update(c, undefined)
  t.ok(sct.pending)
  sct.applyTo(map)
  t.equal(map.size, 0)
})
