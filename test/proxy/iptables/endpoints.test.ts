import t from 'tap'
import type { EndpointSlice } from '../../../src/api/types.js'
import { buildEndpointsMap, categorizeEndpoints, type EndpointInfo } from '../../../src/proxy/iptables/endpoints.js'
import { servicePortsOf } from '../../../src/proxy/iptables/service-port.js'

function slice(name: string, svc: string, endpoints: EndpointSlice['endpoints'], ports: EndpointSlice['ports'] = [{ name: 'http', port: 8080, protocol: 'TCP' }], addressType: EndpointSlice['addressType'] = 'IPv4'): EndpointSlice {
  return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { namespace: 'ns', name, labels: { 'kubernetes.io/service-name': svc } }, addressType, ports, endpoints }
}

t.test('endpoints are keyed by service port, deduplicated and sorted by the ip:port string', async (t) => {
  const m = buildEndpointsMap(
    [
      slice('a-1', 'a', [{ addresses: ['10.1.1.1'] }, { addresses: ['10.1.1.11'], nodeName: 'me' }]),
      slice('a-2', 'a', [{ addresses: ['10.1.1.1'] }, { addresses: ['010.1.1.2'] }]),
      slice('b-1', 'b', [{ addresses: ['10.2.0.1'] }], [{ port: 53, protocol: 'UDP' }]),
      slice('c-1', 'c', [{ addresses: ['fd00::1'] }], [{ name: 'http', port: 80 }], 'IPv6'),
      slice('d-1', 'd', [{ addresses: [] }, { addresses: ['10.3.0.1'] }], [{ name: 'x' }]),
    ],
    'me',
  )
  t.same(
    m.get('ns/a:http')!.map((e) => e.endpoint),
    ['10.1.1.11:8080', '10.1.1.1:8080', '10.1.1.2:8080'],
    "'1' < ':' puts 10.1.1.11 first; duplicates collapse; leading zeros dropped",
  )
  t.equal(m.get('ns/a:http')![0]!.isLocal, true)
  t.same(m.get('ns/b')!.map((e) => e.endpoint), ['10.2.0.1:53'], 'unnamed port')
  t.notOk(m.has('ns/c:http'), 'IPv6 slices are for the other family')
  t.notOk(m.has('ns/d:x'), 'ports without a number are skipped')
})

t.test('missing conditions: ready and serving default true, terminating false', async (t) => {
  const m = buildEndpointsMap([slice('a-1', 'a', [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'], conditions: { ready: false, terminating: true } }])], 'x')
  const [a, b] = m.get('ns/a:http')!
  t.same([a!.ready, a!.serving, a!.terminating], [true, true, false])
  t.same([b!.ready, b!.serving, b!.terminating], [false, true, true])
})

function ep(ip: string, o: Partial<EndpointInfo> = {}): EndpointInfo {
  return { ip, port: 80, endpoint: `${ip}:80`, isLocal: false, ready: true, serving: true, terminating: false, nodeName: undefined, ...o }
}

const svc = (spec: Record<string, unknown>) =>
  servicePortsOf({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'ns', name: 's' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'p', port: 80, nodePort: 30000 }], type: 'NodePort', ...spec } })[0]!

t.test('categorizeEndpoints (upstream topology.go cases without hints)', async (t) => {
  const eps = [ep('10.0.0.1', { isLocal: true }), ep('10.0.0.2'), ep('10.0.0.3', { ready: false, serving: true, terminating: true })]
  const cluster = categorizeEndpoints(eps, svc({}))
  t.same(cluster.clusterEndpoints.map((e) => e.ip), ['10.0.0.1', '10.0.0.2'], 'Cluster: ready endpoints')
  t.same(cluster.localEndpoints, [])
  t.equal(cluster.hasAnyEndpoints, true)

  const local = categorizeEndpoints(eps, svc({ externalTrafficPolicy: 'Local' }))
  t.same(local.localEndpoints.map((e) => e.ip), ['10.0.0.1'], 'eTP Local: local ready endpoints')
  t.same(local.allReachableEndpoints.map((e) => e.ip), ['10.0.0.1', '10.0.0.2'])

  const terminatingOnly = [ep('10.0.0.1', { isLocal: true, ready: false, terminating: true }), ep('10.0.0.2', { ready: false, terminating: true }), ep('10.0.0.4', { ready: false, serving: false, terminating: true })]
  const fb = categorizeEndpoints(terminatingOnly, svc({ externalTrafficPolicy: 'Local' }))
  t.same(fb.clusterEndpoints.map((e) => e.ip), ['10.0.0.1', '10.0.0.2'], 'no ready endpoint: serving+terminating fallback')
  t.same(fb.localEndpoints.map((e) => e.ip), ['10.0.0.1'])
  t.same(fb.allReachableEndpoints.map((e) => e.ip), ['10.0.0.1', '10.0.0.2'], 'union, sorted')

  const itp = categorizeEndpoints(eps, { ...svc({ internalTrafficPolicy: 'Local' }), nodePort: 0 })
  t.same(itp.clusterEndpoints, [], 'iTP Local without external access uses no cluster endpoints')
  t.same(itp.allReachableEndpoints.map((e) => e.ip), ['10.0.0.1'])

  const none = categorizeEndpoints([ep('10.0.0.9', { ready: false, serving: false })], svc({}))
  t.equal(none.hasAnyEndpoints, false)
})
