import t from 'tap'
import type { KubeObject } from '../../../src/api/meta.js'
import { AllocationRejected, ServiceAllocation, firstServiceIP } from '../../../src/apiserver/admission/service-allocation.js'
import { call, newApp, service } from '../harness.js'

const svcObj = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 's', namespace: 'default' }, spec: { ports: [{ port: 80 }], ...spec } })

t.test('firstServiceIP', async (t) => {
  t.equal(firstServiceIP('10.96.0.0/12'), '10.96.0.1')
  t.equal(firstServiceIP('10.100.7.9/16'), '10.100.0.1')
})

t.test('200 parallel Service creates get distinct ClusterIPs and NodePorts; deletes release them', async (t) => {
  const { app } = await newApp(t, { serviceClusterIPRange: '10.96.0.0/24', serviceNodePortRange: '30000-30299' })
  const results = await Promise.all(
    Array.from({ length: 200 }, (_, i) => call(app, 'POST', '/api/v1/namespaces/default/services', service(`s${i}`, { type: 'NodePort' }))),
  )
  t.ok(results.every((r) => r.status === 201), 'all created')
  const ips = results.map((r) => r.body.spec.clusterIP)
  const ports = results.map((r) => r.body.spec.ports[0].nodePort)
  t.equal(new Set(ips).size, 200, 'no duplicate ClusterIP')
  t.equal(new Set(ports).size, 200, 'no duplicate NodePort')
  t.notOk(ips.includes('10.96.0.1'), 'the kubernetes Service keeps the first IP')
  const { allocation } = app.kplab
  t.ok(allocation.ips.has(ips[0]))
  const dels = await Promise.all(results.slice(0, 100).map((_, i) => call(app, 'DELETE', `/api/v1/namespaces/default/services/s${i}`)))
  t.ok(dels.every((d) => d.status === 200))
  t.notOk(allocation.ips.has(ips[0]), 'ClusterIP released')
  t.notOk(allocation.ports.has(ports[0]), 'NodePort released')
  t.ok(allocation.ips.has(ips[150]), 'others kept')
})

t.test('requested values: taken or out of range is a 422 on the field; a failed create releases', async (t) => {
  const { app } = await newApp(t)
  t.equal((await call(app, 'POST', '/api/v1/namespaces/default/services', service('a', { clusterIP: '10.96.0.10', type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }))).status, 201)
  const takenIP = await call(app, 'POST', '/api/v1/namespaces/default/services', service('b', { clusterIP: '10.96.0.10' }))
  t.equal(takenIP.status, 422)
  t.match(takenIP.body.details.causes, [{ field: 'spec.clusterIP', message: /already allocated/ }])
  const outside = await call(app, 'POST', '/api/v1/namespaces/default/services', service('c', { clusterIP: '192.168.0.1' }))
  t.equal(outside.status, 422)
  t.match(outside.body.details.causes, [{ field: 'spec.clusterIP', message: /not in the valid range/ }])
  const takenPort = await call(app, 'POST', '/api/v1/namespaces/default/services', service('d', { type: 'NodePort', clusterIP: '10.96.0.20', ports: [{ port: 80 }, { port: 81, nodePort: 30080 }] }))
  t.equal(takenPort.status, 422)
  t.match(takenPort.body.details.causes, [{ field: 'spec.ports[1].nodePort' }])
  t.notOk(app.kplab.allocation.ips.has('10.96.0.20'), 'the IP reserved for the failed create is released')
  const invalid = await call(app, 'POST', '/api/v1/namespaces/default/services', service('e', { clusterIP: '10.96.0.30', ports: [{ port: 0 }] }))
  t.equal(invalid.status, 422)
  t.notOk(app.kplab.allocation.ips.has('10.96.0.30'), 'released when validation fails')
  const dup = await call(app, 'POST', '/api/v1/namespaces/default/services', service('a', { clusterIP: '10.96.0.40' }))
  t.equal(dup.status, 409)
  t.notOk(app.kplab.allocation.ips.has('10.96.0.40'), 'released when the store write fails')
})

t.test('headless and ExternalName Services allocate nothing', async (t) => {
  const { app } = await newApp(t)
  const headless = await call(app, 'POST', '/api/v1/namespaces/default/services', service('h', { clusterIP: 'None' }))
  t.equal(headless.status, 201)
  t.equal(headless.body.spec.clusterIP, 'None')
  const ext = await call(app, 'POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { type: 'ExternalName', externalName: 'example.com' } })
  t.equal(ext.status, 201, JSON.stringify(ext.body))
  t.notOk(ext.body.spec.clusterIP)
})

t.test('updates keep the ClusterIP (immutable) and node ports; changed node ports move', async (t) => {
  const { app } = await newApp(t)
  const url = '/api/v1/namespaces/default/services/a'
  const created = (await call(app, 'POST', '/api/v1/namespaces/default/services', service('a', { type: 'NodePort' }))).body
  const ip = created.spec.clusterIP
  const oldPort = created.spec.ports[0].nodePort
  const put = await call(app, 'PUT', url, { ...created, spec: { ...created.spec, clusterIP: undefined, clusterIPs: undefined, ports: [{ port: 80 }] } })
  t.equal(put.status, 200, JSON.stringify(put.body))
  t.equal(put.body.spec.clusterIP, ip, 'left out → kept')
  t.equal(put.body.spec.ports[0].nodePort, oldPort, 'node port kept by port number')
  const change = await call(app, 'PATCH', url, { spec: { clusterIP: '10.96.0.99' } }, { 'content-type': 'application/merge-patch+json' })
  t.equal(change.status, 422)
  t.match(change.body.details.causes, [{ field: 'spec.clusterIP', message: /immutable/ }])
  const moved = await call(app, 'PATCH', url, { spec: { ports: [{ port: 80, nodePort: 31234 }] } }, { 'content-type': 'application/merge-patch+json' })
  t.equal(moved.status, 200, JSON.stringify(moved.body))
  t.ok(app.kplab.allocation.ports.has(31234))
  t.notOk(app.kplab.allocation.ports.has(oldPort), 'the replaced node port is released')
  const toClusterIP = await call(app, 'PATCH', url, { spec: { type: 'ClusterIP' } }, { 'content-type': 'application/merge-patch+json' })
  t.equal(toClusterIP.status, 200, JSON.stringify(toClusterIP.body))
  t.notOk(toClusterIP.body.spec.ports[0].nodePort)
  t.notOk(app.kplab.allocation.ports.has(31234))
})

t.test('allocators are rebuilt from stored Services on start', async (t) => {
  const first = await newApp(t)
  const created = (await call(first.app, 'POST', '/api/v1/namespaces/default/services', service('a', { type: 'NodePort' }))).body
  const second = await newApp(t, { store: first.store, clock: first.clock, reuseStore: true })
  t.ok(second.app.kplab.allocation.ips.has(created.spec.clusterIP))
  t.ok(second.app.kplab.allocation.ports.has(created.spec.ports[0].nodePort))
  const again = await call(second.app, 'POST', '/api/v1/namespaces/default/services', service('b', { clusterIP: created.spec.clusterIP }))
  t.equal(again.status, 422)
})

t.test('ServiceAllocation transactions', async (t) => {
  const a = new ServiceAllocation({ serviceClusterIPRange: '10.0.0.0/29', serviceNodePortRange: '30000-30001' })
  const s = svcObj({ type: 'NodePort' })
  const txn = a.forCreate(s)
  const spec = s.spec as { clusterIP: string; ports: { nodePort: number }[] }
  t.ok(a.ips.has(spec.clusterIP))
  txn.rollback()
  t.notOk(a.ips.has(spec.clusterIP))
  t.notOk(a.ports.has(spec.ports[0]!.nodePort))
  t.throws(() => a.forCreate(svcObj({ type: 'NodePort', ports: [{ port: 1, nodePort: 30001 }, { port: 2, nodePort: 30001 }] })), AllocationRejected)
  t.notOk(a.ports.has(30001), 'a rejected create keeps nothing')
})
