import t from 'tap'
import { AGE_COLUMN, NAME_COLUMN, col } from '../../../src/apiserver/table/types.js'

t.test('col fills upstream defaults; Name carries format name', async (t) => {
  t.same(col('IP', 'string', 'd', { priority: 1 }), { name: 'IP', type: 'string', format: '', description: 'd', priority: 1 })
  t.same(col('Age', 'string', 'd'), { name: 'Age', type: 'string', format: '', description: 'd', priority: 0 })
  t.equal(NAME_COLUMN.format, 'name')
  t.equal(AGE_COLUMN.name, 'Age')
})
