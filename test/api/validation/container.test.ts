import t from 'tap'
import {
  PROTOCOLS,
  validateContainerPorts,
  validateContainers,
  validatePortNumOrName,
  validateProbe,
  validateProtocol,
  validateResourceQuantities,
} from '../../../src/api/validation/container.js'
import { lines } from '../fixtures.js'

t.test('port number or IANA name', async (t) => {
  t.same(validatePortNumOrName(8080, 'p'), [])
  t.same(validatePortNumOrName('http', 'p'), [])
  t.same(lines(validatePortNumOrName(0, 'p')), ['p: Invalid value: 0: must be between 1 and 65535, inclusive'])
  t.same(lines(validatePortNumOrName('', 'p')), ['p: Required value'])
  t.same(lines(validatePortNumOrName('very-long-port-name', 'p')), ['p: Invalid value: "very-long-port-name": must be no more than 15 characters'])
  t.same(lines(validatePortNumOrName(true, 'p')), ['p: Invalid value: true: must be an integer or a string'])
})

t.test('protocols', async (t) => {
  for (const p of PROTOCOLS) t.same(validateProtocol(p, 'x'), [], p)
  t.same(lines(validateProtocol(undefined, 'x')), ['x: Required value'])
  t.same(lines(validateProtocol('tcp', 'x')), ['x: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"'])
})

t.test('container ports', async (t) => {
  t.same(validateContainerPorts([{ containerPort: 53, protocol: 'UDP' }, { containerPort: 53, protocol: 'TCP', hostPort: 5353 }], 'ports', false), [])
  t.same(lines(validateContainerPorts([{ containerPort: 80, protocol: 'TCP', hostPort: 70000 }], 'ports', false)), [
    'ports[0].hostPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
  ])
})

t.test('probes', async (t) => {
  t.same(validateProbe(undefined, 'p'), [])
  t.same(validateProbe({ tcpSocket: { port: 80 }, periodSeconds: 10 }, 'p'), [])
  t.same(validateProbe({ exec: { command: ['true'] } }, 'p'), [])
  t.same(lines(validateProbe({ exec: { command: ['true'] }, httpGet: { port: 80 } }, 'p')), ['p.httpGet: Forbidden: may not specify more than 1 handler type'])
  t.same(lines(validateProbe({ grpc: { port: 0 }, initialDelaySeconds: -1, periodSeconds: 0 }, 'p')), [
    'p.grpc.port: Invalid value: 0: must be between 1 and 65535, inclusive',
    'p.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0',
    'p.periodSeconds: Invalid value: 0: must be greater than or equal to 1',
  ])
})

t.test('containers: pull policy, sidecars, termination message policy', async (t) => {
  const ctx = () => ({ volumes: new Set(['data']), names: new Set<string>(), hostNetwork: false, init: false })
  t.same(validateContainers([{ name: 'a', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/d' }] }], 'c', ctx()), [])
  t.same(lines(validateContainers([{ name: 'a', image: 'x', imagePullPolicy: 'Sometimes', terminationMessagePolicy: 'Logs' }], 'c', ctx())), [
    'c[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
    'c[0].terminationMessagePolicy: Unsupported value: "Logs": supported values: "File", "FallbackToLogsOnError"',
  ])
  t.same(validateContainers([{ name: 'side', image: 'x', restartPolicy: 'Always' }], 'i', { ...ctx(), init: true }), [], 'sidecar init container')
  t.same(lines(validateContainers([{ name: 'side', image: 'x', restartPolicy: 'Never' }], 'i', { ...ctx(), init: true })), [
    'i[0].restartPolicy: Unsupported value: "Never": supported values: "Always"',
  ])
  t.same(lines(validateContainers([{ name: 'a', image: 'x', volumeMounts: [{ name: 'data' }] }], 'c', ctx())), ['c[0].volumeMounts[0].mountPath: Required value'])
})

t.test('resource quantities', async (t) => {
  t.same(validateResourceQuantities({ limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: 0.5, 'example.com/gpu': '1', storage: '1e3' } }, 'r'), [])
  t.same(lines(validateResourceQuantities({ limits: { cpu: 'lots' }, requests: { memory: '-1Gi' } }, 'r')), [
    "r.limits[cpu]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    'r.requests[memory]: Invalid value: "-1Gi": must be greater than or equal to 0',
  ])
  const ctx = { volumes: new Set<string>(), names: new Set<string>(), hostNetwork: false, init: false }
  t.same(lines(validateContainers([{ name: 'a', image: 'x', resources: { limits: { cpu: '1 core' } } }], 'c', ctx)).length, 1, 'containers check their resources')
})
