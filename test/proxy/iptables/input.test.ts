import t from 'tap'
import type { KubeObject } from '../../../src/api/meta.js'
import { ProxyInputError, stateFromObjects } from '../../../src/proxy/iptables/input.js'

const svc = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'ns', name: 'web' }, spec: { clusterIP: '10.96.0.1', ports: [{ port: 80 }], ...spec } })
const slice = (extra: Record<string, unknown>): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { namespace: 'ns', name: 'web-1', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4',
  endpoints: [{ addresses: ['10.0.0.1'] }],
  ...extra,
})

t.test('picks Services and EndpointSlices, ignores other kinds', async (t) => {
  const s = stateFromObjects([svc({}), slice({}), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }])
  t.equal(s.services.length, 1)
  t.equal(s.endpointSlices.length, 1)
})

t.test('invalid fields are named', async (t) => {
  const cases: [KubeObject, RegExp][] = [
    [svc({ ports: [{ port: 0 }] }), /Service "ns\/web": spec\.ports\[0\]\.port: 0 is not a port number/],
    [svc({ ports: [{ port: 80, protocol: 'ICMP' }] }), /spec\.ports\[0\]\.protocol: "ICMP" is not TCP, UDP or SCTP/],
    [svc({ clusterIP: '10.96.0.300' }), /spec\.clusterIP: "10\.96\.0\.300" is not an IP address/],
    [svc({ externalIPs: ['x'] }), /spec\.externalIPs\[0\]/],
    [svc({ loadBalancerSourceRanges: ['10.0.0.1'] }), /spec\.loadBalancerSourceRanges\[0\]: "10\.0\.0\.1" is not a CIDR/],
    [slice({ endpoints: [{ addresses: ['fd00::1'] }] }), /EndpointSlice "ns\/web-1": endpoints\[0\]\.addresses\[0\]: "fd00::1" is not an IPv4 address/],
    [slice({ ports: [{ port: 70000 }] }), /ports\[0\]\.port: 70000/],
    [slice({ metadata: { namespace: 'ns', name: 'orphan' } }), /kubernetes\.io\/service-name/],
  ]
  for (const [obj, re] of cases) t.throws(() => stateFromObjects([obj]), re)
  t.throws(() => stateFromObjects([svc({ ports: [{ port: -1 }] })]), ProxyInputError)
})

t.test('an empty slice as kubectl prints it (endpoints: null) is fine', async (t) => {
  t.equal(stateFromObjects([slice({ endpoints: null })]).endpointSlices.length, 1)
  t.throws(() => stateFromObjects([slice({ endpoints: 'x' })]), /endpoints: must be a list/)
})

t.test('ExternalName and headless services need no cluster IP', async (t) => {
  t.doesNotThrow(() => stateFromObjects([svc({ type: 'ExternalName', clusterIP: undefined, externalName: 'x' }), svc({ clusterIP: 'None' })]))
})
