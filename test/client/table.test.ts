import t from 'tap'
import { TABLE_ACCEPT, isTable } from '../../src/client/table.js'

t.test('the Accept header is kubectl get\'s, and isTable tells Tables from objects', async (t) => {
  t.equal(TABLE_ACCEPT.split(',')[0], 'application/json;as=Table;v=v1;g=meta.k8s.io')
  t.equal(TABLE_ACCEPT.split(',').at(-1), 'application/json', 'falls back to plain JSON')
  t.ok(isTable({ kind: 'Table', columnDefinitions: [], rows: [] }))
  t.notOk(isTable({ kind: 'PodList', items: [] }))
  t.notOk(isTable(null))
})
