import t from 'tap'
import { RESOURCES } from '../../../src/api/registry.js'
import type { KubeObject } from '../../../src/api/meta.js'
import { parseIncludeObject, printerFor, TABLE_CONTENT_TYPE, toTable, wantsTable } from '../../../src/apiserver/table/index.js'

const now = Date.parse('2026-11-25T10:00:00Z')
const res = (kind: string) => RESOURCES.find((r) => r.kind === kind)!

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'client', namespace: 'default', labels: { app: 'client' }, creationTimestamp: '2026-11-25T09:21:00Z' },
  spec: { containers: [{ name: 'main' }] },
  status: { phase: 'Pending' },
}

t.test('a Pod list Table with PartialObjectMetadata rows (the default)', async (t) => {
  const table = toTable(res('Pod'), [pod], { now, resourceVersion: '1006' })
  t.equal(table.kind, 'Table')
  t.equal(table.apiVersion, 'meta.k8s.io/v1')
  t.same(table.metadata, { resourceVersion: '1006' })
  t.same(table.columnDefinitions[0], {
    name: 'Name',
    type: 'string',
    format: 'name',
    description: table.columnDefinitions[0]!.description,
    priority: 0,
  })
  t.same(table.rows, [
    {
      cells: ['client', '0/1', 'Pending', '0', '39m', '<none>', '<none>', '<none>', '<none>'],
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata },
    },
  ])
})

t.test('includeObject Object / None, continue token, row conditions', async (t) => {
  const full = toTable(res('Pod'), [{ metadata: pod.metadata, spec: pod.spec, status: { phase: 'Succeeded' } }], {
    now,
    includeObject: 'Object',
    continueToken: 'abc',
  })
  t.same(full.metadata, { continue: 'abc' })
  t.same(full.rows[0]!.object, { apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata, spec: pod.spec, status: { phase: 'Succeeded' } })
  t.equal(full.rows[0]!.conditions?.[0]?.type, 'Completed')
  const none = toTable(res('Pod'), [pod], { now, includeObject: 'None' })
  t.notOk('object' in none.rows[0]!)
  t.same(toTable(res('Pod'), [], { now }).rows, [])
})

t.test('a printer for every served kind; unknown kinds get Name/Age', async (t) => {
  for (const r of RESOURCES) t.ok(printerFor(r.kind).columns.some((c) => c.format === 'name'), `${r.kind} has a name column`)
  const other = { ...res('Lease'), kind: 'Frobnicator' }
  const table = toTable(other, [{ metadata: { name: 'f', creationTimestamp: '2026-11-25T09:59:00Z' } }], { now })
  t.same(table.columnDefinitions.map((c) => c.name), ['Name', 'Age'])
  t.same(table.rows[0]!.cells, ['f', '60s'])
  t.same(toTable(other, [{ metadata: {} }], { now }).rows[0]!.cells, ['', '<unknown>'])
})

t.test('columnDefinitions are copies (callers may mutate)', async (t) => {
  const a = toTable(res('Pod'), [], { now })
  a.columnDefinitions[0]!.name = 'X'
  t.equal(toTable(res('Pod'), [], { now }).columnDefinitions[0]!.name, 'Name')
})

t.test('wantsTable reads kubectl\'s Accept headers', async (t) => {
  t.ok(wantsTable('application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json'))
  t.ok(wantsTable('application/json; as=Table; g=meta.k8s.io; v=v1beta1'))
  t.ok(wantsTable(TABLE_CONTENT_TYPE))
  t.notOk(wantsTable('application/json'))
  t.notOk(wantsTable('application/json, */*'))
  t.notOk(wantsTable('application/json;as=Table;v=v2;g=meta.k8s.io'))
  t.notOk(wantsTable('application/json;as=APIGroupDiscoveryList;v=v2;g=apidiscovery.k8s.io'))
  t.notOk(wantsTable(undefined))
})

t.test('parseIncludeObject', async (t) => {
  t.equal(parseIncludeObject('Object'), 'Object')
  t.equal(parseIncludeObject('None'), 'None')
  t.equal(parseIncludeObject(undefined), 'Metadata')
  t.equal(parseIncludeObject('bogus'), 'Metadata')
})
