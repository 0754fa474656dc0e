import t from 'tap'
import { applyDefaults } from '../../../src/api/defaults.js'
import type { KubeObject } from '../../../src/api/meta.js'
import { deepClone } from '../../../src/api/object.js'
import { MAX_ENDPOINTS, validateEndpointSlice, validateEndpoints } from '../../../src/api/validation/endpoints.js'
import { endpointSlice, endpoints, lines, matchExactly, res } from '../fixtures.js'

function slice(): KubeObject {
  const s = endpointSlice()
  applyDefaults(res('EndpointSlice'), s)
  return s
}

t.test('valid EndpointSlices', async (t) => {
  t.same(validateEndpointSlice(slice()), [])
  const v6 = slice() as any
  v6.addressType = 'IPv6'
  v6.endpoints = [{ addresses: ['fd00::5'] }]
  t.same(validateEndpointSlice(v6), [])
  const fqdn = slice() as any
  fqdn.addressType = 'FQDN'
  fqdn.endpoints = [{ addresses: ['db.example.com'] }]
  t.same(validateEndpointSlice(fqdn), [])
  const noPorts = slice() as any
  noPorts.ports = [{ protocol: 'TCP' }]
  t.same(validateEndpointSlice(noPorts), [], 'a port with no number means all ports')
})

t.test('invalid EndpointSlices name the field', async (t) => {
  const cases: [string, (s: any) => void, (string | RegExp)[]][] = [
    ['addressType', (s) => (s.addressType = 'IPv5'), ['addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"']],
    ['addressType required', (s) => delete s.addressType, ['addressType: Required value']],
    ['addresses required', (s) => (s.endpoints[1].addresses = []), ['endpoints[1].addresses: Required value: must contain at least 1 address']],
    ['address family', (s) => (s.endpoints[0].addresses = ['fd00::1']), ['endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address']],
    ['too many endpoints', (s) => (s.endpoints = Array.from({ length: MAX_ENDPOINTS + 1 }, () => ({ addresses: ['10.0.0.1'] }))), ['endpoints: Too many: 1001: must have at most 1000 items']],
    ['nodeName', (s) => (s.endpoints[0].nodeName = 'Node 1'), [/^endpoints\[0\].nodeName: Invalid value: "Node 1": a lowercase RFC 1123 subdomain/]],
    ['port range', (s) => (s.ports[0].port = 0), ['ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']],
    ['port protocol', (s) => (s.ports[0].protocol = 'ip'), ['ports[0].protocol: Unsupported value: "ip": supported values: "SCTP", "TCP", "UDP"']],
    ['port name', (s) => (s.ports[0].name = 'HTTP'), [/^ports\[0\].name: Invalid value: "HTTP": a lowercase RFC 1123 label/]],
    ['duplicate port names', (s) => s.ports.push({ name: 'http', port: 1, protocol: 'TCP' }), ['ports[1].name: Duplicate value: "http"']],
  ]
  for (const [name, mutate, want] of cases) {
    const s = slice()
    mutate(s)
    matchExactly(t, lines(validateEndpointSlice(s)), want, name)
  }
})

t.test('EndpointSlice addressType is immutable', async (t) => {
  const old = slice()
  const next = deepClone(old) as any
  next.addressType = 'IPv6'
  next.endpoints = [{ addresses: ['fd00::1'] }]
  t.same(lines(validateEndpointSlice(next, old)), ['addressType: Invalid value: "IPv6": field is immutable'])
  const moreEndpoints = deepClone(old) as any
  moreEndpoints.endpoints.push({ addresses: ['10.244.3.3'] })
  t.same(validateEndpointSlice(moreEndpoints, old), [])
})

t.test('Endpoints', async (t) => {
  const ep = endpoints()
  applyDefaults(res('Endpoints'), ep)
  t.same(validateEndpoints(ep), [])
  const bad = deepClone(ep) as any
  bad.subsets.push({ ports: [] })
  bad.subsets[0].addresses[0].ip = '10.244.1'
  bad.subsets[0].ports.push({ port: 9090, protocol: 'TCP' })
  t.same(lines(validateEndpoints(bad)), [
    'subsets[0].addresses[0].ip: Invalid value: "10.244.1": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    'subsets[0].ports[0].name: Required value',
    'subsets[0].ports[1].name: Required value',
    'subsets[1]: Required value: must specify `addresses` or `notReadyAddresses`',
    'subsets[1].ports: Required value',
  ])
})
