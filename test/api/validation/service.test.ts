import t from 'tap'
import { applyDefaults } from '../../../src/api/defaults.js'
import type { KubeObject } from '../../../src/api/meta.js'
import { deepClone } from '../../../src/api/object.js'
import { externallyAccessible, validateService, validateServiceUpdate } from '../../../src/api/validation/service.js'
import { lines, matchExactly, res, service } from '../fixtures.js'

function defaulted(mutate: (s: any) => void = () => undefined): KubeObject {
  const s = service()
  mutate(s)
  applyDefaults(res('Service'), s)
  return s
}

t.test('valid Services of every type', async (t) => {
  const cases: [string, (s: any) => void][] = [
    ['ClusterIP', () => undefined],
    ['allocated ClusterIP', (s) => Object.assign(s.spec, { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] })],
    ['NodePort', (s) => Object.assign(s.spec, { type: 'NodePort', externalTrafficPolicy: 'Local' })],
    ['NodePort with nodePort', (s) => {
      s.spec.type = 'NodePort'
      s.spec.ports[0].nodePort = 30080
    }],
    ['LoadBalancer', (s) => Object.assign(s.spec, { type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/8'] })],
    ['headless without ports', (s) => Object.assign(s.spec, { clusterIP: 'None', ports: [] })],
    ['ExternalName', (s) => (s.spec = { type: 'ExternalName', externalName: 'db.example.com' })],
    ['ClientIP affinity', (s) => (s.spec.sessionAffinity = 'ClientIP')],
    ['single unnamed port', (s) => (s.spec.ports = [{ port: 53, protocol: 'UDP' }])],
    ['same port, two protocols', (s) => (s.spec.ports = [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }])],
    ['externalIPs', (s) => (s.spec.externalIPs = ['192.168.56.100'])],
  ]
  for (const [name, mutate] of cases) t.same(lines(validateService(defaulted(mutate))), [], name)
})

t.test('invalid Services name the field with upstream wording', async (t) => {
  const cases: [string, (s: any) => void, (string | RegExp)[]][] = [
    ['port 0', (s) => (s.spec.ports[0].port = 0), ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']],
    ['port missing', (s) => delete s.spec.ports[1].port, ['spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive']],
    ['ports required', (s) => (s.spec.ports = []), ['spec.ports: Required value']],
    ['names required with several ports', (s) => delete s.spec.ports[1].name, ['spec.ports[1].name: Required value']],
    ['duplicate names', (s) => (s.spec.ports[1].name = 'http'), ['spec.ports[1].name: Duplicate value: "http"']],
    ['duplicate port/protocol', (s) => (s.spec.ports[1].port = 80), ['spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}']],
    ['protocol', (s) => (s.spec.ports[0].protocol = 'HTTP'), ['spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']],
    ['type', (s) => (s.spec.type = 'Ingress'), ['spec.type: Unsupported value: "Ingress": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']],
    ['nodePort on ClusterIP', (s) => (s.spec.ports[0].nodePort = 30080), ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]],
    ['targetPort 0 int', (s) => (s.spec.ports[1].targetPort = 70000), ['spec.ports[1].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    ['targetPort bad name', (s) => (s.spec.ports[0].targetPort = 'web--port'), ['spec.ports[0].targetPort: Invalid value: "web--port": must not contain consecutive hyphens']],
    ['clusterIP syntax', (s) => (s.spec.clusterIP = '10.96.0.300'), ['spec.clusterIP: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['clusterIPs syntax', (s) => (s.spec.clusterIPs = ['x']), ['spec.clusterIPs[0]: Invalid value: "x": must be empty, \'None\', or a valid IP address']],
    ['sessionAffinity', (s) => (s.spec.sessionAffinity = 'Sticky'), ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"']],
    [
      'timeoutSeconds 0',
      (s) => Object.assign(s.spec, { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } }),
      ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400'],
    ],
    [
      'timeoutSeconds above a day',
      (s) => Object.assign(s.spec, { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 86401 } } }),
      ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400'],
    ],
    [
      'externalTrafficPolicy on ClusterIP',
      (s) => (s.spec.externalTrafficPolicy = 'Local'),
      ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services'],
    ],
    [
      'externalTrafficPolicy value',
      (s) => Object.assign(s.spec, { type: 'NodePort', externalTrafficPolicy: 'Nearest' }),
      ['spec.externalTrafficPolicy: Unsupported value: "Nearest": supported values: "Cluster", "Local"'],
    ],
    [
      'internalTrafficPolicy value',
      (s) => (s.spec.internalTrafficPolicy = 'Node'),
      ['spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"'],
    ],
    [
      'loadBalancerSourceRanges off LoadBalancer',
      (s) => (s.spec.loadBalancerSourceRanges = ['10.0.0.0/8']),
      ["spec.loadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'"],
    ],
    ['externalIPs syntax', (s) => Object.assign(s.spec, { externalIPs: ['nope'], externalTrafficPolicy: 'Cluster' }), ['spec.externalIPs[0]: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['ipFamilies', (s) => (s.spec.ipFamilies = ['IPv5']), ['spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"']],
    ['headless NodePort', (s) => Object.assign(s.spec, { type: 'NodePort', clusterIP: 'None', externalTrafficPolicy: 'Cluster' }), ["spec.clusterIP: Invalid value: \"None\": may not be set to 'None' for NodePort services"]],
    ['name must be a DNS-1035 label', (s) => (s.metadata.name = '1web'), [/^metadata.name: Invalid value: "1web": a DNS-1035 label must consist of/]],
  ]
  for (const [name, mutate, want] of cases) {
    const s = defaulted()
    mutate(s)
    matchExactly(t, lines(validateService(s)), want, name)
  }
  const en = { metadata: { name: 'db', namespace: 'default' }, spec: { type: 'ExternalName', sessionAffinity: 'None' } }
  t.same(lines(validateService(en)), ['spec.externalName: Required value'])
  const noDefaults = { metadata: { name: 'x', namespace: 'default' }, spec: { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP' }] } }
  t.same(lines(validateService(noDefaults)), ['spec.sessionAffinity: Required value', 'spec.externalTrafficPolicy: Required value'], 'validate expects defaulted objects')
})

t.test('clusterIP is immutable on update', async (t) => {
  const old = defaulted((s) => (s.spec.clusterIP = '10.96.0.10'))
  const same = deepClone(old)
  ;(same.spec as any).ports[0].port = 8080
  t.same(validateService(same, old), [])
  const changed = deepClone(old)
  ;(changed.spec as any).clusterIP = '10.96.0.11'
  t.same(lines(validateService(changed, old)), ['spec.clusterIP: Invalid value: "10.96.0.11": field is immutable'])
  const dropped = deepClone(old)
  delete (dropped.spec as any).clusterIP
  t.same(lines(validateServiceUpdate(dropped.spec, old.spec)), ['spec.clusterIP: Invalid value: "": field is immutable'])
  t.same(validateServiceUpdate({ type: 'ExternalName' }, old.spec), [], 'switching to ExternalName releases the IP')
  t.same(validateServiceUpdate({ clusterIP: '10.96.0.12' }, { clusterIP: '' }), [], 'an unset IP may be filled in')
})

t.test('externallyAccessible', async (t) => {
  t.ok(externallyAccessible({ type: 'NodePort' }))
  t.ok(externallyAccessible({ type: 'LoadBalancer' }))
  t.ok(externallyAccessible({ type: 'ClusterIP', externalIPs: ['1.2.3.4'] }))
  t.notOk(externallyAccessible({ type: 'ClusterIP' }))
  t.notOk(externallyAccessible({ type: 'ExternalName', externalIPs: ['1.2.3.4'] }))
})
