import t from 'tap'
import type { Table } from '../../../src/client/table.js'
import { printTable, tableFromObjects } from '../../../src/cli/printers/table.js'

const table: Table = {
  apiVersion: 'meta.k8s.io/v1',
  kind: 'Table',
  metadata: {},
  columnDefinitions: [
    { name: 'Name', type: 'string', format: 'name' },
    { name: 'Cluster-IP', type: 'string' },
    { name: 'Port(s)', type: 'string' },
    { name: 'Restarts', type: 'integer' },
    { name: 'Selector', type: 'string', priority: 1 },
  ],
  rows: [
    { cells: ['web', '10.96.0.20', '80/TCP', 0, 'app=web'], object: { metadata: { name: 'web', namespace: 'default' } } },
    { cells: ['kubernetes', '10.96.0.1', '443/TCP', 2, null], object: { metadata: { name: 'kubernetes', namespace: 'kube-system' } } },
  ],
}

t.test('default columns: uppercase headers, priority-1 columns hidden', async (t) => {
  t.equal(
    printTable(table),
    'NAME         CLUSTER-IP   PORT(S)   RESTARTS\n' + //
      'web          10.96.0.20   80/TCP    0\n' +
      'kubernetes   10.96.0.1    443/TCP   2\n',
  )
})

t.test('-o wide adds priority columns; -A adds NAMESPACE; null cells print <none>', async (t) => {
  t.equal(
    printTable(table, { wide: true, withNamespace: true }),
    'NAMESPACE     NAME         CLUSTER-IP   PORT(S)   RESTARTS   SELECTOR\n' +
      'default       web          10.96.0.20   80/TCP    0          app=web\n' +
      'kube-system   kubernetes   10.96.0.1    443/TCP   2          <none>\n',
  )
})

t.test('several kinds: the name column carries kind/', async (t) => {
  const out = printTable(table, { namePrefix: 'service/', noHeaders: true })
  t.match(out, /^service\/web {3,}/m)
  t.notMatch(out, /NAME/)
})

t.test('a plain list falls back to NAME and AGE', async (t) => {
  const tb = tableFromObjects([{ metadata: { name: 'a', creationTimestamp: '2026-01-01T00:00:00Z' } }], Date.UTC(2026, 0, 1, 0, 3))
  t.equal(printTable(tb), 'NAME   AGE\na      3m\n')
})
