import t from 'tap'
import type { KubeObject } from '../../../src/api/meta.js'
import { resourceByName } from '../../../src/api/registry.js'
import { LAST_APPLIED } from '../../../src/cli/apply-merge.js'
import { describeObject, formatEndpoints, smartLabel } from '../../../src/cli/printers/describe.js'

const now = Date.UTC(2026, 0, 1, 1, 0, 0)
const event = (reason: string, message: string, last: string, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: `e-${reason}` },
  type: 'Normal',
  reason,
  message,
  lastTimestamp: last,
  source: { component: 'endpointslice-controller' },
  ...extra,
})

t.test('Service: selector, type, IP, ports with endpoints from EndpointSlices, events', async (t) => {
  const svc: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { [LAST_APPLIED]: '{}' } },
    spec: { selector: { app: 'web' }, type: 'ClusterIP', clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
  }
  const slice: KubeObject = {
    metadata: { name: 'web-abc', labels: { 'kubernetes.io/service-name': 'web' } },
    ports: [{ name: 'http', port: 8080 }],
    endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true } }, { addresses: ['10.244.2.3'] }, { addresses: ['10.244.3.3'], conditions: { ready: false } }],
  }
  const out = describeObject(resourceByName('svc')!, svc, { events: [event('Synced', 'ok', '2026-01-01T00:55:00Z')], endpointSlices: [slice], now })
  const kv = (k: string, v: string): string => `${k.padEnd(19)}${v}\n`
  t.equal(
    out,
    kv('Name:', 'web') +
      kv('Namespace:', 'default') +
      kv('Labels:', 'app=web') +
      kv('Annotations:', '<none>') +
      kv('Selector:', 'app=web') +
      kv('Type:', 'ClusterIP') +
      kv('IP:', '10.96.0.20') +
      kv('IPs:', '10.96.0.20') +
      kv('Port:', 'http  80/TCP') +
      kv('TargetPort:', '8080/TCP') +
      kv('Endpoints:', '10.244.1.5:8080,10.244.2.3:8080') +
      kv('Session Affinity:', 'None') +
      'Events:\n' +
      '  Type    Reason  Age   From                      Message\n' +
      '  ----    ------  ----  ----                      -------\n' +
      '  Normal  Synced  5m    endpointslice-controller  ok\n',
  )
})

t.test('endpoints: more than three are summarised; other port names ignored', async (t) => {
  const slice: KubeObject = { metadata: { name: 's' }, ports: [{ name: '', port: 80 }], endpoints: ['a', 'b', 'c', 'd', 'e'].map((x) => ({ addresses: [x] })) }
  t.equal(formatEndpoints([slice], ''), 'a:80,b:80,c:80 + 2 more...')
  t.equal(formatEndpoints([slice], 'http'), '<none>')
})

t.test('Pod: node, IP, containers, conditions; multi-line labels; no events', async (t) => {
  const pod: KubeObject = {
    metadata: { name: 'client', namespace: 'default', labels: { app: 'client', tier: 'front' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
    status: {
      phase: 'Running',
      hostIP: '192.168.56.11',
      podIP: '10.244.1.5',
      podIPs: [{ ip: '10.244.1.5' }],
      containerStatuses: [{ name: 'nginx', ready: true, restartCount: 1, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }],
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  }
  const out = describeObject(resourceByName('po')!, pod, { events: [], now })
  const lines = out.split('\n')
  t.equal(lines[0], 'Name:         client')
  t.equal(lines[2], 'Node:         node-1/192.168.56.11')
  t.equal(lines[3], 'Labels:       app=client')
  t.equal(lines[4], '              tier=front', 'second label under the first')
  t.ok(lines.includes('    Image:          nginx:1.27'))
  t.ok(lines.includes('    Restart Count:  1'))
  t.ok(lines.includes('  Ready  True'))
  t.equal(lines.at(-2), 'Events:  <none>', 'aligned with the conditions block before it')
})

t.test('other kinds: generic rendering of spec and status with readable labels', async (t) => {
  t.equal(smartLabel('podCIDR'), 'Pod CIDR')
  t.equal(smartLabel('nodeName'), 'Node Name')
  const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: { podCIDR: '10.244.1.0/24' }, status: { addresses: [{ type: 'InternalIP', address: '192.168.56.11' }] } }
  const out = describeObject(resourceByName('no')!, node, { now })
  t.match(out, /^Spec:\n {2}Pod CIDR: {2}10\.244\.1\.0\/24$/m)
  t.match(out, /^ {4}Type: {5}InternalIP$/m)
  t.match(out, /^ {4}Address: {2}192\.168\.56\.11$/m)
})

t.test('repeated events show count and span', async (t) => {
  const out = describeObject(resourceByName('svc')!, { metadata: { name: 'x', namespace: 'd' }, spec: {} }, {
    events: [event('Fail', 'boom', '2026-01-01T00:59:00Z', { count: 3, firstTimestamp: '2026-01-01T00:50:00Z', type: 'Warning' })],
    now,
  })
  t.match(out, /Warning {2}Fail {4}60s \(x3 over 10m\)/)
})
