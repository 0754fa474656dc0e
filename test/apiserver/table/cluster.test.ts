import t from 'tap'
import { eventPrinter, findNodeRoles, leasePrinter, namespacePrinter, nodePrinter } from '../../../src/apiserver/table/cluster.js'

const now = Date.parse('2026-11-25T10:00:00Z')
const created = '2024-11-25T10:00:00Z' // 730 days: 2y

t.test('node roles from labels', async (t) => {
  t.same(findNodeRoles({ 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/': 'x', 'kubernetes.io/role': 'master', other: 'y' }), [
    'control-plane',
    'master',
  ])
  t.same(findNodeRoles(undefined), [])
})

t.test('Node: status, roles, version and wide columns', async (t) => {
  t.same(nodePrinter.columns.map((c) => c.name), [
    'Name',
    'Status',
    'Roles',
    'Age',
    'Version',
    'Internal-IP',
    'External-IP',
    'OS-Image',
    'Kernel-Version',
    'Container-Runtime',
  ])
  const node = {
    metadata: { name: 'node-1', creationTimestamp: created, labels: { 'node-role.kubernetes.io/worker': '' } },
    spec: { unschedulable: true },
    status: {
      conditions: [
        { type: 'MemoryPressure', status: 'False' },
        { type: 'Ready', status: 'True' },
      ],
      addresses: [
        { type: 'Hostname', address: 'node-1' },
        { type: 'InternalIP', address: '192.168.56.11' },
      ],
      nodeInfo: { kubeletVersion: 'v1.32.0-kplab', osImage: 'Ubuntu 24.04', kernelVersion: '6.8.0', containerRuntimeVersion: 'kplab://0.1.0' },
    },
  }
  t.same(nodePrinter.row(node, now).cells, [
    'node-1',
    'Ready,SchedulingDisabled',
    'worker',
    '2y',
    'v1.32.0-kplab',
    '192.168.56.11',
    '<none>',
    'Ubuntu 24.04',
    '6.8.0',
    'kplab://0.1.0',
  ])
  const bare = { metadata: { name: 'n', creationTimestamp: created }, status: {} }
  t.same(nodePrinter.row(bare, now).cells, ['n', 'Unknown', '<none>', '2y', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'])
  const notReady = { metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }
  t.equal(nodePrinter.row(notReady, now).cells[1], 'NotReady')
})

t.test('Namespace and Lease', async (t) => {
  t.same(namespacePrinter.row({ metadata: { name: 'default', creationTimestamp: created }, status: { phase: 'Active' } }, now).cells, ['default', 'Active', '2y'])
  t.same(leasePrinter.columns.map((c) => c.name), ['Name', 'Holder', 'Age'])
  t.same(leasePrinter.row({ metadata: { name: 'node-1', creationTimestamp: created }, spec: { holderIdentity: 'node-1' } }, now).cells, ['node-1', 'node-1', '2y'])
  t.same(leasePrinter.row({ metadata: { name: 'x' } }, now).cells, ['x', '', '<unknown>'])
})

t.test('Event: columns, Object pod/web, Source component+host, counts', async (t) => {
  t.same(
    eventPrinter.columns.map((c) => `${c.name}:${c.priority}:${c.format}`),
    [
      'Last Seen:0:',
      'Type:0:',
      'Reason:0:',
      'Object:0:',
      'Subobject:1:',
      'Source:1:',
      'Message:0:',
      'First Seen:1:',
      'Count:1:',
      'Name:1:name',
    ],
  )
  const ev = {
    metadata: { name: 'web.1234' },
    involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{nginx}' },
    reason: 'Pulled',
    message: 'Successfully pulled image  \n',
    type: 'Normal',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: '2026-11-25T09:47:00Z',
    lastTimestamp: '2026-11-25T09:59:00Z',
    count: 3,
  }
  t.same(eventPrinter.row(ev, now).cells, ['60s', 'Normal', 'Pulled', 'pod/web', 'spec.containers{nginx}', 'kubelet, node-1', 'Successfully pulled image', '13m', 3, 'web.1234'])
})

t.test('Event: new-style (eventTime, reportingComponent, series) and no name', async (t) => {
  const ev = {
    metadata: { name: 'e' },
    involvedObject: { kind: 'Node' },
    eventTime: '2026-11-25T09:00:00.000000Z',
    reportingComponent: 'kplab-controller',
    series: { count: 7, lastObservedTime: '2026-11-25T09:58:00.000000Z' },
  }
  const cells = eventPrinter.row(ev, now).cells
  t.equal(cells[0], '2m')
  t.equal(cells[3], 'node')
  t.equal(cells[5], 'kplab-controller')
  t.equal(cells[7], '60m')
  t.equal(cells[8], 7)
  const single = eventPrinter.row({ metadata: { name: 's' }, involvedObject: { kind: 'Pod', name: 'p' }, eventTime: '2026-11-25T09:59:30Z' }, now).cells
  t.equal(single[0], '30s', 'last seen falls back to first seen')
  t.equal(single[8], 1, 'singleton count is 1')
})
