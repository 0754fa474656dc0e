import t from 'tap'
import { daemonSetPrinter, deploymentPrinter, replicaSetPrinter } from '../../../src/apiserver/table/workloads.js'

const now = Date.parse('2026-11-25T10:00:00Z')
const metadata = { name: 'web', creationTimestamp: '2026-11-25T04:50:00Z' } // 5h10m
const template = { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }], nodeSelector: { disk: 'ssd' } } }
const selector = { matchLabels: { app: 'web' } }

t.test('Deployment', async (t) => {
  t.same(
    deploymentPrinter.columns.map((c) => `${c.name}:${c.type}:${c.priority}`),
    ['Name:string:0', 'Ready:string:0', 'Up-to-date:integer:0', 'Available:integer:0', 'Age:string:0', 'Containers:string:1', 'Images:string:1', 'Selector:string:1'],
  )
  const d = { metadata, spec: { replicas: 3, selector, template }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } }
  t.same(deploymentPrinter.row(d, now).cells, ['web', '2/3', 3, 2, '5h10m', 'nginx,log', 'nginx:1.27,busybox', 'app=web'])
  t.same(deploymentPrinter.row({ metadata, spec: { replicas: 1 } }, now).cells.slice(1, 4), ['0/1', 0, 0])
})

t.test('ReplicaSet', async (t) => {
  t.same(replicaSetPrinter.columns.map((c) => c.name), ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector'])
  const rs = { metadata: { ...metadata, name: 'web-5d8f' }, spec: { replicas: 3, selector, template }, status: { replicas: 3, readyReplicas: 1 } }
  t.same(replicaSetPrinter.row(rs, now).cells, ['web-5d8f', 3, 3, 1, '5h10m', 'nginx,log', 'nginx:1.27,busybox', 'app=web'])
})

t.test('DaemonSet', async (t) => {
  t.same(daemonSetPrinter.columns.map((c) => c.name), [
    'Name',
    'Desired',
    'Current',
    'Ready',
    'Up-to-date',
    'Available',
    'Node Selector',
    'Age',
    'Containers',
    'Images',
    'Selector',
  ])
  const ds = {
    metadata: { ...metadata, name: 'proxy' },
    spec: { selector, template },
    status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
  }
  t.same(daemonSetPrinter.row(ds, now).cells, ['proxy', 3, 3, 2, 3, 2, 'disk=ssd', '5h10m', 'nginx,log', 'nginx:1.27,busybox', 'app=web'])
  t.equal(daemonSetPrinter.row({ metadata, spec: {} }, now).cells[6], '<none>')
})
