import t from 'tap'
import { endpointSlicePrinter, endpointsPrinter, formatEndpoints, makePortString, servicePrinter } from '../../../src/apiserver/table/service.js'

const now = Date.parse('2026-11-25T10:00:00Z')
const metadata = { name: 'web', creationTimestamp: '2026-11-20T07:00:00Z' } // 5d3h

t.test('Service columns and a ClusterIP service', async (t) => {
  t.same(servicePrinter.columns.map((c) => c.name), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector'])
  t.equal(servicePrinter.columns[6]!.priority, 1)
  const svc = {
    metadata,
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP' }] },
  }
  t.same(servicePrinter.row(svc, now).cells, ['web', 'ClusterIP', '10.96.0.20', '<none>', '80/TCP', '5d3h', 'app=web'])
})

t.test('NodePort ports, LoadBalancer <pending> and ingress, ExternalName, headless', async (t) => {
  const ports = [
    { port: 80, nodePort: 30080, protocol: 'TCP' },
    { port: 443, protocol: 'TCP' },
  ]
  t.equal(makePortString(ports), '80:30080/TCP,443/TCP')
  t.equal(makePortString([{ port: 53, protocol: 'UDP' }]), '53/UDP')
  const lb = { metadata, spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.9'], ports } }
  t.same(servicePrinter.row(lb, now).cells.slice(1, 5), ['LoadBalancer', '10.96.0.9', '<pending>', '80:30080/TCP,443/TCP'])
  const lbReady = { ...lb, status: { loadBalancer: { ingress: [{ ip: '192.168.56.200' }, { hostname: 'lb.example' }] } } }
  t.equal(servicePrinter.row(lbReady, now).cells[3], '192.168.56.200,lb.example')
  const lbExt = { ...lbReady, spec: { ...lb.spec, externalIPs: ['1.2.3.4'] } }
  t.equal(servicePrinter.row(lbExt, now).cells[3], '192.168.56.200,lb.example,1.2.3.4')
  const np = { metadata, spec: { type: 'NodePort', clusterIP: '10.96.0.3', externalIPs: ['1.1.1.1', '2.2.2.2'] } }
  t.same(servicePrinter.row(np, now).cells.slice(2, 5), ['10.96.0.3', '1.1.1.1,2.2.2.2', '<none>'])
  const en = { metadata, spec: { type: 'ExternalName', externalName: 'db.example.com' } }
  t.same(servicePrinter.row(en, now).cells.slice(1, 4), ['ExternalName', '<none>', 'db.example.com'])
  const headless = { metadata, spec: { clusterIP: 'None', clusterIPs: ['None'] } }
  t.same(servicePrinter.row(headless, now).cells.slice(1, 7), ['ClusterIP', 'None', '<none>', '<none>', '5d3h', '<none>'])
})

t.test('Endpoints: ip:port, max 3 then "+ N more..."', async (t) => {
  t.equal(formatEndpoints({}), '<none>')
  const ep = {
    metadata,
    subsets: [
      { addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }] },
      { addresses: [{ ip: '10.0.0.3' }, { ip: '10.0.0.4' }, { ip: 'fd00::1' }], ports: [{ port: 8080 }] },
    ],
  }
  t.same(endpointsPrinter.row(ep, now).cells, ['web', '10.0.0.1:80,10.0.0.2:80,10.0.0.3:8080 + 2 more...', '5d3h'])
  t.equal(formatEndpoints({ subsets: [{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }] }), '[fd00::1]:80')
  t.equal(formatEndpoints({ subsets: [{ addresses: [{ ip: '10.0.0.1' }] }] }), '10.0.0.1')
})

t.test('EndpointSlice: AddressType, Ports, Endpoints with + N more..., <unset>', async (t) => {
  t.same(endpointSlicePrinter.columns.map((c) => c.name), ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'])
  const slice = {
    metadata: { ...metadata, name: 'web-abc12' },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    endpoints: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'].map((a) => ({ addresses: [a] })),
  }
  t.same(endpointSlicePrinter.row(slice, now).cells, ['web-abc12', 'IPv4', '80', '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...', '5d3h'])
  const empty = { metadata, addressType: 'IPv4', ports: [{ name: 'named' }, {}] }
  t.same(endpointSlicePrinter.row(empty, now).cells.slice(2, 4), ['named,*', '<unset>'])
  const manyPorts = { metadata, addressType: 'IPv4', ports: [1, 2, 3, 4].map((port) => ({ port })) }
  t.equal(endpointSlicePrinter.row(manyPorts, now).cells[2], '1,2,3 + 1 more...')
})
